package dev.dmreconciler.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the keys for secret sources come from, with the tools' own names: the Ansible Vault password from
 * {@code --vault-password-file} or {@code ANSIBLE_VAULT_PASSWORD_FILE}; age identities from
 * {@code --sops-age-key-file}, {@code SOPS_AGE_KEY_FILE} or {@code SOPS_AGE_KEY}. Files are read when a secret
 * first needs them, so a repository without secrets needs no keys; a missing key is a {@link SecretException}
 * naming the encrypted file and how to give the key, which fails that environment before anything is written.
 *
 * <p>One instance is installed for the process ({@link #install}); parameter files are parsed in many places
 * and all of them must decrypt with the same keys.
 */
public final class SecretKeys {

    public static final SecretKeys NONE = new SecretKeys(null, null, null);
    private static volatile SecretKeys installed = NONE;

    private final Path vaultPasswordFile;
    private final Path ageKeyFile;
    private final String ageKeys;

    public SecretKeys(Path vaultPasswordFile, Path ageKeyFile, String ageKeys) {
        this.vaultPasswordFile = vaultPasswordFile;
        this.ageKeyFile = ageKeyFile;
        this.ageKeys = ageKeys;
    }

    /** Options first, then the environment variables of the tools (ansible-vault, sops). */
    public static SecretKeys of(Path vaultPasswordFile, Path ageKeyFile, Map<String, String> env) {
        Path vault = vaultPasswordFile != null ? vaultPasswordFile : pathOf(env.get("ANSIBLE_VAULT_PASSWORD_FILE"));
        Path age = ageKeyFile != null ? ageKeyFile : pathOf(env.get("SOPS_AGE_KEY_FILE"));
        String inline = env.get("SOPS_AGE_KEY");
        return new SecretKeys(vault, age, inline == null || inline.isBlank() ? null : inline);
    }

    public static void install(SecretKeys keys) {
        installed = keys;
    }

    public static SecretKeys installed() {
        return installed;
    }

    /** The vault password, for a vault in {@code file}. */
    public char[] vaultPassword(String file) {
        if (vaultPasswordFile == null) {
            throw new SecretException(file, "encrypted with Ansible Vault, but no vault password was given"
                    + " (--vault-password-file FILE or ANSIBLE_VAULT_PASSWORD_FILE)");
        }
        try {
            char[] password = AnsibleVault.password(Files.readString(vaultPasswordFile, StandardCharsets.UTF_8));
            if (password.length == 0) {
                throw new SecretException(file, "the vault password file " + vaultPasswordFile + " is empty");
            }
            return password;
        } catch (IOException e) {
            throw new SecretException(file, "cannot read the vault password file " + vaultPasswordFile
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The age identities ({@code AGE-SECRET-KEY-1…}), for a sops file {@code file}. */
    public List<String> ageIdentities(String file) {
        List<String> identities = new ArrayList<>();
        if (ageKeys != null) {
            identities.addAll(parseIdentities(ageKeys));
        }
        if (ageKeyFile != null) {
            try {
                identities.addAll(parseIdentities(Files.readString(ageKeyFile, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new SecretException(file, "cannot read the age key file " + ageKeyFile
                        + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (identities.isEmpty()) {
            throw new SecretException(file, "encrypted with sops for age, but no age key was given"
                    + " (--sops-age-key-file FILE, SOPS_AGE_KEY_FILE or SOPS_AGE_KEY)"
                    + (ageKeyFile != null ? "; " + ageKeyFile + " holds no AGE-SECRET-KEY-1 line" : ""));
        }
        return identities;
    }

    /** Identity lines of an age key file; comments ({@code # public key: …}) and blank lines are skipped. */
    static List<String> parseIdentities(String text) {
        return text.lines().map(String::strip).filter(l -> l.startsWith("AGE-SECRET-KEY-1")).toList();
    }

    private static Path pathOf(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
