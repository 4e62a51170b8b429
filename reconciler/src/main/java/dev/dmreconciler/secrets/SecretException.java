package dev.dmreconciler.secrets;

/**
 * A secret could not be read: missing key or password, wrong key, tampered file. The message names the file
 * and what is wrong, never a value or a key.
 */
public final class SecretException extends RuntimeException {

    private final String file;

    public SecretException(String file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public String file() {
        return file;
    }

    /** The message without the file name, for callers that add their own "file:line: key:" prefix. */
    public String reason() {
        String message = getMessage();
        return message.substring(file.length() + 2);
    }
}
