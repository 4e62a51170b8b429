package dev.dmreconciler.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real-tool fixtures in src/test/resources/secrets (copied from ../shared/secret-fixtures). */
public final class Fixtures {

    public static final String PULL_SECRET = "eyJhdXRocyI6eyJnaGNyLmlvIjp7ImF1dGgiOiJabWw0ZEhWeVpUcHViM1F0WVMxeVpXRnNMWFJ2YTJWdSJ9fX0=";
    public static final String INLINE_SECRET = "inline-secret-value";
    public static final String AGE_RECIPIENT = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";

    private Fixtures() {
    }

    public static Path path(String relative) {
        try {
            return Path.of(Fixtures.class.getResource("/secrets/" + relative).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SecretKeys keys() {
        return new SecretKeys(path("ansible-vault/vault-password.txt"), path("sops-age/age.agekey"), null);
    }
}
