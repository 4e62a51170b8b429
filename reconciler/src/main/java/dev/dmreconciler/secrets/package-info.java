/**
 * Secret sources read without Ansible or sops installed: Ansible Vault 1.1/1.2 (AES256) files and inline
 * {@code !vault} values, SOPS files encrypted for age recipients, and the key material for them
 * ({@link dev.dmreconciler.secrets.SecretKeys}). Also the {@link dev.dmreconciler.secrets.Redactor} that keeps
 * every value read from these sources out of every output. A leaf package: it depends on nothing else of the
 * reconciler, and its errors name files, never values.
 */
package dev.dmreconciler.secrets;
