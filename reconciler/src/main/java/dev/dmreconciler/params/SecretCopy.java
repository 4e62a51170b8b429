package dev.dmreconciler.params;

import java.util.List;

/**
 * A declared copy of one existing Secret into the namespaces that need it (bundle.yaml or an environment's
 * application, {@code secretCopies:}). Every pass reads the source and applies the copy, so a changed source reaches
 * the copies on the next pass; only the source's {@code type} and {@code data} are copied. All texts are FreeMarker
 * templates over the values (environment values; in instance scope the instance's).
 *
 * @param fromNamespace the source Secret's namespace
 * @param fromName      the source Secret's name
 * @param name          the copies' name ("" = the source's name)
 * @param instanceScope one copy in each instance's namespace (else one in each of {@code namespaces})
 * @param namespaces    environment scope: the target namespaces
 * @param when          a variable: the copy is declared only while it is set (not empty, not the sentinel), or null
 * @param where         file:line of the declaration
 */
public record SecretCopy(String fromNamespace, String fromName, String name, boolean instanceScope,
                         List<String> namespaces, String when, String where) {
}
