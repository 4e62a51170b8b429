package dev.dmreconciler.diff;

import java.io.IOException;
import java.io.InputStream;

/**
 * The reconciler's classes loaded apart (their own {@code Redactor.global()}, {@code SecretKeys}): another reconciler
 * process, as far as what it read and registered goes. A test applies there what this process must never have read
 * (an earlier commit's vault value), then diffs here, as the CI job diffs long after the apply that wrote the value.
 * Everything but {@code dev.dmreconciler.*} (fabric8, SnakeYAML, the JDK) is shared with this process.
 */
final class OtherProcess extends ClassLoader {

    private static final String OURS = "dev.dmreconciler.";

    OtherProcess() {
        super(OtherProcess.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(OURS)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    loaded = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    /** {@code apply --env ENV --vault-password-file FILE} in the other process; its report. */
    static String apply(String kubeconfig, String repo, String environment, String vaultPasswordFile) throws Exception {
        Class<?> oneShot = Class.forName(OneShotApply.class.getName(), true, new OtherProcess());
        return (String) oneShot.getMethod("run", String.class, String.class, String.class, String.class)
                .invoke(null, kubeconfig, repo, environment, vaultPasswordFile);
    }
}
