package dev.dmreconciler.params;

import java.util.Map;

/**
 * One named installation of an application in an environment: its own namespace and fully merged values
 * (defaults &lt; shared files &lt; environment values &lt; instance values). The Jupyter form's Data Manager
 * namespaces are instances named after their namespace; an instance file of an {@code instanceDir} is one too.
 *
 * @param name      the instance's name (DNS-1123), unique per application in an environment
 * @param namespace the namespace its instance-scope objects land in
 * @param where     "file:line" that declared it (for errors naming both sides of a collision)
 */
public record Instance(String name, String namespace, Map<String, Param> values, String where) {
}
