package dev.dmreconciler.cli;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a one-shot command may connect to the cluster while it still renders ({@link BackgroundConnection}).
 * Only when connecting has no effect outside this process: the kubeconfig user of the context in use has no
 * {@code exec} credential plugin (kubelogin may open a browser or print a device code, interleaved with render
 * warnings) and no {@code auth-provider} (fabric8 may refresh an OIDC token and write it back into the
 * kubeconfig). Otherwise the command connects after the environment rendered and passed its policy, as before:
 * invalid input or a violation then stops with no cluster contact at all.
 *
 * <p>Decided from the kubeconfig files alone (parsed, nothing run), the same ones fabric8 reads: {@code --kubeconfig},
 * else the {@code kubeconfig} system property / {@code KUBECONFIG} (a path list), else {@code ~/.kube/config}. No file
 * means the in-cluster service account (a token file: side-effect free). Anything unclear (a file that does not
 * parse, a context or user that is not there) answers "not early": the late path reports the error as before.
 */
final class EarlyConnect {

    private EarlyConnect() {
    }

    /** @param kubeconfig {@code --kubeconfig}, or null for fabric8's discovery; @param context {@code --context} or null */
    static boolean sideEffectFree(Path kubeconfig, String context) {
        List<File> files = new ArrayList<>();
        if (kubeconfig != null) {
            files.add(kubeconfig.toFile());
        } else {
            for (String name : io.fabric8.kubernetes.client.Config.getKubeconfigFilenames()) {
                File file = new File(name);
                if (file.isFile()) {
                    files.add(file);
                }
            }
        }
        List<Config> parsed = new ArrayList<>();
        try {
            for (File file : files) {
                parsed.add(KubeConfigUtils.parseConfig(file));
            }
        } catch (RuntimeException e) {
            return false; // unreadable or invalid: the late connection reports it, after the render
        }
        return sideEffectFree(parsed, context);
    }

    /**
     * The decision over parsed kubeconfigs. Conservative where readers differ: kubectl and fabric8 take the first
     * file that names the current context, but within one file the <em>last</em> definition of a name, so a context
     * or user defined twice (a concatenated or hand-merged kubeconfig) is judged by every definition of it: any
     * exec plugin or auth provider among them means "not side-effect free". No kubeconfig at all: in-cluster, side-effect free.
     */
    static boolean sideEffectFree(List<Config> kubeconfigs, String context) {
        if (kubeconfigs.isEmpty()) {
            return true;
        }
        String contextName = context != null ? context : kubeconfigs.stream().map(Config::getCurrentContext)
                .filter(name -> name != null && !name.isEmpty()).findFirst().orElse(null);
        if (contextName == null) {
            return false;
        }
        List<NamedContext> named = kubeconfigs.stream().flatMap(c -> listOf(c.getContexts()).stream())
                .filter(c -> contextName.equals(c.getName())).toList();
        if (named.isEmpty() || named.stream().anyMatch(c -> c.getContext() == null)) {
            return false;
        }
        Set<String> userNames = named.stream().map(c -> c.getContext().getUser()).map(u -> u == null ? "" : u)
                .collect(Collectors.toSet());
        if (userNames.equals(Set.of(""))) {
            return true; // no credentials at all (an anonymous or proxied endpoint)
        }
        if (userNames.contains("")) {
            return false; // one definition without a user, another with one: not worth guessing
        }
        List<NamedAuthInfo> users = kubeconfigs.stream().flatMap(c -> listOf(c.getUsers()).stream())
                .filter(u -> userNames.contains(u.getName())).toList();
        return users.stream().map(NamedAuthInfo::getName).collect(Collectors.toSet()).equals(userNames)
                && users.stream().map(NamedAuthInfo::getUser).allMatch(EarlyConnect::noPlugin);
    }

    private static boolean noPlugin(AuthInfo user) {
        return user != null && user.getExec() == null && user.getAuthProvider() == null;
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }
}
