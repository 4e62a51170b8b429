package dev.dmreconciler.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to authenticate to the git remote: an HTTPS token, an SSH private key (Apache MINA transport), or
 * nothing (public or local repositories). Read from files or environment variables and never logged.
 *
 * @param knownHosts known_hosts file for SSH; null means the user's default (~/.ssh/known_hosts)
 */
public record GitAuth(String username, String token, Path sshKey, Path knownHosts) {

    public static final GitAuth NONE = new GitAuth(null, null, null, null);

    /** From --git-token-file (else env GIT_TOKEN; an absent or empty file means none) and --ssh-key-file (else env GIT_SSH_KEY_FILE). */
    public static GitAuth from(Path tokenFile, Path sshKeyFile, Path knownHostsFile, String username) throws IOException {
        String token = tokenFile != null ? readIfPresent(tokenFile) : System.getenv("GIT_TOKEN");
        String sshKeyEnv = System.getenv("GIT_SSH_KEY_FILE");
        Path sshKey = sshKeyFile != null ? sshKeyFile : sshKeyEnv == null ? null : Path.of(sshKeyEnv);
        return new GitAuth(username == null ? "x-access-token" : username, token == null || token.isBlank() ? null : token,
                sshKey, knownHostsFile);
    }

    /**
     * A secret file's content, or null when the file is absent or empty: an optional Secret volume that is not
     * there means "no credentials" (a public repository), not a crash loop.
     */
    public static String readIfPresent(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String content = Files.readString(file).strip();
        return content.isEmpty() ? null : content;
    }

    @Override
    public String toString() {
        return "GitAuth[" + (token != null ? "token" : sshKey != null ? "ssh key " + sshKey : "none") + "]";
    }
}
