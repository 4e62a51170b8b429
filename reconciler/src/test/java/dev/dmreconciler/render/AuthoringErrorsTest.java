package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problem;
import dev.dmreconciler.params.Problems;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a bundle author sees for a mistake: the template file and line (also for YAML errors found only in the
 * rendered output), words instead of Java class names, and one report per mistake however many namespaces
 * render the template.
 */
class AuthoringErrorsTest {

    private static final String CONTEXT = " (environment env, application probe, namespaces dm-a, dm-b)";

    @TempDir
    Path dir;
    private TestRepo repo;

    @BeforeEach
    void setUp() {
        repo = TestRepo.empty(dir).write("templates/probe/bundle.yaml", """
                name: probe
                prefix: pr_
                namespaceVariable: pr_namespace
                stateVariable: pr_state
                templates:
                  - file: templates/probe/t.yaml.ftl
                    scope: namespace
                variables:
                  pr_state: {default: present}
                  pr_namespace: {default: dm}
                  pr_name: {default: probe}
                  pr_list: {type: list, default: [a, b]}
                  pr_map: {type: map, default: {k: v}}
                """).write("environments/env.yaml", "applications:\n  probe:\n    namespaces:\n      dm-a: {}\n      dm-b: {}\n");
    }

    /** The one problem the template gives, as "where: message". */
    private String problem(String template) {
        repo.write("templates/probe/t.yaml.ftl", template);
        ConfigRepo config = repo.open();
        Problems problems = new Problems();
        Environment environment;
        try {
            environment = config.loader().load("env", null, problems);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        problems.throwIfErrors();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Renderer(config, new TemplateEngine(config.tree())).render(environment, null));
        List<Problem> all = e.problems().all();
        assertEquals(1, all.size(), "one mistake, one report: " + all);
        String text = all.get(0).where() + ": " + all.get(0).message();
        assertFalse(text.matches("(?s).*(\\bf\\.[tc]\\.|freemarker\\.|java\\.|Adapter|Simple[A-Z]|Exception|@[0-9a-f]{5,}).*"), text);
        return text;
    }

    @Test
    void typeMistakesAreExplainedInBundleWords() {
        assertEquals("templates/probe/t.yaml.ftl:2: expected a string, number or boolean but `pr_list` is a list "
                + "(print it with dmr.toYaml(…), dmr.toJson(…) or ?join(\", \"))" + CONTEXT, problem("x: 1\na: ${pr_list}\n"));
        assertEquals("templates/probe/t.yaml.ftl:1: expected a string, number or boolean but `pr_map` is a map "
                + "(print it with dmr.toYaml(…), dmr.toJson(…) or ?join(\", \"))" + CONTEXT, problem("a: ${pr_map}\n"));
        assertEquals("templates/probe/t.yaml.ftl:1: expected a map for \".\" but `pr_name` is a string "
                + "(`.` reads a key of a map)" + CONTEXT, problem("a: ${pr_name.x}\n"));
        assertEquals("templates/probe/t.yaml.ftl:1: expected a list for #list but `pr_name` is a string" + CONTEXT,
                problem("<#list pr_name as x>${x}</#list>\n"));
        assertEquals("templates/probe/t.yaml.ftl:1: expected a boolean for \"#if\" but `pr_name` is a string "
                + "(compare it, e.g. `x == \"yes\"`, or convert it with ?boolean)" + CONTEXT, problem("<#if pr_name>x</#if>\n"));
        assertEquals("templates/probe/t.yaml.ftl:1: expected a function for \"...(...)\" but `pr_name?string` is a string"
                + CONTEXT, problem("a: ${pr_name?string('a','b')}\n"));
        assertEquals("templates/probe/t.yaml.ftl:1: ?join(...) expects a string as argument #1, but received a number."
                + CONTEXT, problem("a: ${pr_list?join(1)}\n"));
    }

    @Test
    void undefinedValuesAndMissingTemplates() {
        assertEquals("templates/probe/t.yaml.ftl:1: `pr_map.nope` is not defined (a misspelt name, or a value that is "
                + "not set; a default: `pr_map.nope!\"…\"`, a test: `pr_map.nope??`)" + CONTEXT, problem("a: ${pr_map.nope}\n"));
        assertEquals("templates/probe/t.yaml.ftl:1: template \"nope.ftl\" not found (looked for templates/probe/nope.ftl; "
                + "templates load only from templates/, crds/, rbac/, shared macros as /lib/NAME.ftl from templates/_lib/)"
                + CONTEXT, problem("<#include \"nope.ftl\">\n"));
        assertEquals("templates/probe/t.yaml.ftl:1: Can't convert this string to number: \"a\" (in `pr_list?first?number`)"
                + CONTEXT, problem("<#assign x = pr_list?first?number>\n"));
        assertEquals("templates/probe/t.yaml.ftl:2: template syntax error: Found string literal: \"x\". Expecting: number"
                + CONTEXT, problem("a: 1\nb: ${(pr_name?length > \"x\")?c}\n"));
    }

    @Test
    void anErrorInASharedMacroNamesTheMacroFileAndTheCaller() {
        repo.write("templates/_lib/m.ftl", "<#macro show x>\n${x.y}\n</#macro>\n");
        assertEquals("templates/_lib/m.ftl:2: expected a map for \".\" but `x` is a number (`.` reads a key of a map) "
                + "(reached from templates/probe/t.yaml.ftl:3)" + CONTEXT,
                problem("<#import \"/lib/m.ftl\" as m>\na: 1\n<@m.show x=1/>\n"));
    }

    @Test
    void yamlErrorsNameTheTemplateLineThatWroteThem() {
        assertEquals("templates/probe/t.yaml.ftl:11: rendered output is not valid YAML: mapping values are not allowed "
                + "here (rendered line 8: `bad: indent`)" + CONTEXT,
                problem("apiVersion: v1\nkind: ConfigMap\n<#if true>\nmetadata:\n  name: a\n</#if>\ndata:\n"
                        + "<#list pr_list as i>\n  ${i}: 1\n</#list>\n   bad: indent\n"));
        assertEquals("templates/probe/t.yaml.ftl:7: rendered output is not valid YAML: found duplicate key a "
                + "(rendered line 7: `a: 2`)" + CONTEXT,
                problem("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: 1\n  a: 2\n"));
    }

    @Test
    void anUnclosedBracketPointsAtItsLineNotTheEndOfTheOutput() {
        assertEquals("templates/probe/t.yaml.ftl:6: rendered output is not valid YAML: expected the node content, but "
                + "found '<stream end>' (rendered line 6: `y: [`)" + CONTEXT,
                problem("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  x: ${pr_name}\n  y: [\n\n\n"));
        assertEquals("templates/probe/t.yaml.ftl:6: rendered output is not valid YAML: found unexpected end of stream "
                + "(rendered line 6: `x: \"probe`)" + CONTEXT,
                problem("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"${pr_name}\n  y: 2\n"));
    }

    @Test
    void aBadValuePrintedByAnInterpolationNamesIt() {
        assertEquals("templates/probe/t.yaml.ftl:6: rendered output is not valid YAML: mapping values are not allowed "
                + "here (rendered line 6: `k: v`), printed by ${dmr.toYaml(pr_map, 4)}" + CONTEXT,
                problem("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  m: x\n    ${dmr.toYaml(pr_map, 4)}\n"));
    }

    @Test
    void aWholeDocumentMistakeNamesWhereTheDocumentStarts() {
        assertEquals("templates/probe/t.yaml.ftl:7: rendered document 2 has no kind" + CONTEXT,
                problem("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n<#-- second -->\napiVersion: v1\n\nmetadata:\n  name: b\n"));
    }

    @Test
    void validateReportsABundleMistakeOnceForAllEnvironments() {
        repo.write("templates/probe/t.yaml.ftl", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${pr_nmae}}\n")
                .write("environments/two.yaml", "applications:\n  probe:\n    namespaces:\n      dm-c: {}\n");
        TestRepo.CliResult result = repo.cli("validate");
        assertEquals(1, result.exitCode(), result.err());
        assertEquals("error: templates/probe/t.yaml.ftl:3: `pr_nmae` is not defined (a misspelt name, or a value that is not "
                + "set; a default: `pr_nmae!\"…\"`, a test: `pr_nmae??`) (application probe; environment env, namespaces "
                + "dm-a, dm-b; environment two, namespace dm-c)\n", result.err());
        assertTrue(result.out().endsWith("1 error(s), 0 warning(s)\n"), result.out());
    }
}
