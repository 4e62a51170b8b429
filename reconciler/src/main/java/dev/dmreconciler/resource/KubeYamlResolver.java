package dev.dmreconciler.resource;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * SnakeYAML's YAML 1.1 resolver plus the plain scalars that go-yaml (kubectl, sigs.k8s.io/yaml, Argo CD, Flux) reads
 * as something other than a string while SnakeYAML does not: {@code y}, {@code Y}, {@code n}, {@code N} (booleans
 * there) and integers with Go's upper-case or octal radix prefixes ({@code 0X1F}, {@code 0B11}, {@code 0o17},
 * {@code 0O17}; go-yaml hands plain scalars to {@code strconv.ParseInt(s, 0, 64)}). The printed manifests are read by
 * those tools ({@code render --out}, {@code rbac --out}), so a string that either reader would take as another type
 * must be quoted: both YAML writers of {@link Manifests} ask this resolver whether a plain scalar would read back as a
 * string.
 */
final class KubeYamlResolver extends Resolver {

    static final Pattern GO_BOOL = Pattern.compile("^(?:y|Y|n|N)$");
    static final Pattern GO_INT = Pattern.compile("^[-+]?0[xXoObB][0-9a-fA-F_]+$");

    @Override
    protected void addImplicitResolvers() {
        super.addImplicitResolvers();
        addImplicitResolver(Tag.BOOL, GO_BOOL, "yYnN");
        addImplicitResolver(Tag.INT, GO_INT, "-+0");
    }
}
