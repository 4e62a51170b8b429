package dev.dmreconciler.apply;

/**
 * A Secret the environment needs cannot be had — the source of a copy, or a Secret an environment-scope precondition
 * references — so nothing of the environment may be written: not applied, not pruned, nothing created empty. The
 * message names the Secret and what needs it, never a value.
 */
public class SecretsUnavailable extends RuntimeException {

    public SecretsUnavailable(String message) {
        super(message);
    }
}
