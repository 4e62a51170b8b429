package dev.dmreconciler.cli;

import dev.dmreconciler.controller.Controller;
import dev.dmreconciler.controller.Log;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.kube.WriteFence;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.source.GitAuth;
import dev.dmreconciler.status.Metrics;
import dev.dmreconciler.status.StatusServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The long-running reconciler (see {@link Controller}); stops cleanly on SIGTERM/SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run continuously: fetch the git repository, reconcile every environment of this cluster, serve "
                + "/healthz /readyz /status /metrics and the git webhook on --http-port.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--repo", required = true, paramLabel = "URL|PATH", description = "Git repository of environments (URL or local path).")
    String repository;

    @ArgGroup(exclusive = true)
    Reference reference = new Reference();

    static final class Reference {
        @Option(names = "--branch", paramLabel = "B", description = "Branch to follow (default main).")
        String branch;
        @Option(names = "--tag", paramLabel = "T", description = "Tag to follow.")
        String tag;
        @Option(names = "--commit", paramLabel = "SHA", description = "Commit to pin.")
        String commit;
    }

    @Option(names = "--env", paramLabel = "NAME", description = "Environments to reconcile (default: every environment whose cluster is --cluster).")
    Set<String> environments = Set.of();

    @Option(names = "--cluster", defaultValue = "default", paramLabel = "NAME",
            description = "The cluster this instance serves: environments with this cluster: (Ansible form: reconciler_cluster). Default: ${DEFAULT-VALUE}.")
    String cluster;

    @Option(names = "--interval", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION", description = "Git fetch period. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--resync", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "DURATION", description = "Full resync (drift repair) period. Default: ${DEFAULT-VALUE}.")
    Duration resync;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT", description = "Status, metrics and webhook port. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--http-address", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
            description = "Address the HTTP endpoints bind to (e.g. 127.0.0.1 behind a sidecar). Default: ${DEFAULT-VALUE}.")
    String httpAddress;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where the bare clone lives. Default: ~/.cache/dm-reconciler/git.")
    Path cacheDir;

    @Option(names = "--git-token-file", paramLabel = "FILE", description = "HTTPS token (else env GIT_TOKEN).")
    Path gitTokenFile;

    @Option(names = "--git-username", defaultValue = "x-access-token", paramLabel = "NAME", description = "User name sent with the token. Default: ${DEFAULT-VALUE}.")
    String gitUsername;

    @Option(names = "--ssh-key-file", paramLabel = "FILE", description = "SSH private key (else env GIT_SSH_KEY_FILE).")
    Path sshKeyFile;

    @Option(names = "--known-hosts-file", paramLabel = "FILE", description = "SSH known_hosts (default ~/.ssh/known_hosts).")
    Path knownHostsFile;

    @Option(names = "--webhook-secret-file", paramLabel = "FILE", description = "Secret of POST /hooks/git (else env WEBHOOK_SECRET; none: webhook off).")
    Path webhookSecretFile;

    @Option(names = "--leader-elect", description = "Elect one writer among replicas with a coordination Lease.")
    boolean leaderElect;

    @Option(names = "--lease-namespace", paramLabel = "NS", description = "Namespace of the Lease (default: env POD_NAMESPACE, else the inventory namespace).")
    String leaseNamespace;

    @Option(names = "--lease-name", defaultValue = "dm-reconciler", paramLabel = "NAME", description = "Name of the Lease. Default: ${DEFAULT-VALUE}.")
    String leaseName;

    @Mixin
    ClusterOptions clusterOptions;

    @Mixin
    GuardFlags guard;

    @Option(names = "--vault-password-file", paramLabel = "FILE",
            description = "Ansible Vault password, e.g. a mounted Secret's file. Default: $ANSIBLE_VAULT_PASSWORD_FILE.")
    Path vaultPasswordFile;

    @Option(names = "--sops-age-key-file", paramLabel = "FILE",
            description = "age identities for sops files, e.g. a mounted Secret's file. Default: $SOPS_AGE_KEY_FILE.")
    Path sopsAgeKeyFile;

    @Override
    public Integer call() throws Exception {
        SecretKeys.install(SecretKeys.of(vaultPasswordFile, sopsAgeKeyFile, System.getenv()));
        Log log = new Log(System.err);
        Metrics metrics = new Metrics();
        CountDownLatch stopped = new CountDownLatch(1);
        WriteFence fence = new WriteFence();
        RequestCounter requests = new RequestCounter();
        metrics.countRequests(requests::count);
        try (KubernetesClient client = clusterOptions.connectController(requests, fence)) {
            Controller controller = new Controller(settings(), client, fence, metrics, log).guardedBy(guard.options());
            StatusServer server = new StatusServer(new InetSocketAddress(InetAddress.getByName(httpAddress), httpPort), controller,
                    metrics, webhookSecret(), controller::requestFetch, 1 << 20);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                long started = System.nanoTime();
                log.info("shutting down");
                server.close();
                controller.close();
                log.info("shut down", "ms", (System.nanoTime() - started) / 1_000_000);
                stopped.countDown();
            }, "shutdown"));
            controller.start();
            server.start(); // only once the controller is wired: no early webhook or /status sees a half-made one
            log.info("serving", "address", httpAddress, "port", server.port());
            stopped.await();
        }
        return Main.OK;
    }

    /**
     * This process's name in the leader election: the pod's (or host's) name and a random part of its own. The
     * elector takes a Lease held under its own identity for its own, so two processes with one name (two replicas on
     * one host without POD_NAME, hostNetwork pods, a second one started by hand) would both lead and both write
     * (review S12-F1); client-go's electors do the same. A restarted process waits for its predecessor's Lease to
     * expire, as any other replica does.
     */
    static String leaderIdentity(String podName, String hostName) {
        String name = podName != null && !podName.isBlank() ? podName : hostName;
        return name + "_" + java.util.UUID.randomUUID();
    }

    Controller.Settings settings() throws java.io.IOException {
        String kind = reference.tag != null ? "tag" : reference.commit != null ? "commit" : "branch";
        String name = reference.tag != null ? reference.tag : reference.commit != null ? reference.commit
                : reference.branch != null ? reference.branch : "main";
        String identity = leaderIdentity(System.getenv().get("POD_NAME"), InetAddress.getLocalHost().getHostName());
        String lease = leaseNamespace != null ? leaseNamespace
                : System.getenv().getOrDefault("POD_NAMESPACE", clusterOptions.inventoryNamespace);
        Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "dm-reconciler", "git");
        return new Controller.Settings(repository, kind, name, environments, cluster, interval, resync,
                clusterOptions.applyOptions(), clusterOptions.prunePolicy(), clusterOptions.inventoryNamespace, leaderElect,
                lease, leaseName, identity, cache, GitAuth.from(gitTokenFile, sshKeyFile, knownHostsFile, gitUsername));
    }

    private byte[] webhookSecret() throws java.io.IOException {
        String secret = webhookSecretFile != null ? GitAuth.readIfPresent(webhookSecretFile) : System.getenv("WEBHOOK_SECRET");
        return secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    /** "90s", "10m", "1h", "500ms", or ISO-8601 "PT1M". */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase();
            if (text.startsWith("pt")) {
                return Duration.parse(text.toUpperCase());
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException("not a duration: " + value + " (use 30s, 10m, 1h)");
            };
        }
    }
}
