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
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three runaway templates measured in issue 11 (a 10^10 loop, a 1 GB output, endless macro recursion) each
 * fail their environment with the template named, within small test limits; other environments still render.
 */
class RenderLimitsTest {

    private static final RenderLimits SMALL = new RenderLimits(Duration.ofSeconds(1), 1 << 20);
    /** For the size and recursion cases: a time limit a loaded machine cannot reach first, so only the tested limit trips. */
    private static final RenderLimits SMALL_OUTPUT = new RenderLimits(Duration.ofSeconds(120), 1 << 20);

    @TempDir
    Path dir;

    /** A bundle whose environment template is {@code template} and which also renders one small ConfigMap. */
    private TestRepo repo(String template) {
        return TestRepo.empty(dir).write("templates/probe/bundle.yaml", """
                name: probe
                prefix: pr_
                namespaceVariable: pr_namespace
                stateVariable: pr_state
                templates:
                  - file: templates/probe/runaway.yaml.ftl
                  - file: templates/probe/fine.yaml.ftl
                variables:
                  pr_state: {default: present}
                  pr_namespace: {default: dm}
                  pr_runaway: {type: boolean, default: no}
                """)
                .write("templates/probe/runaway.yaml.ftl", "<#if pr_runaway>" + template + "</#if>")
                .write("templates/probe/fine.yaml.ftl", "{apiVersion: v1, kind: ConfigMap, metadata: {name: fine, namespace: dm}}\n")
                .write("templates/probe/lib.ftl", "<#macro spin><#list 1..10000000000 as i><#assign x = i></#list></#macro>")
                .write("environments/bad.yaml", "pr_runaway: yes\n")
                .write("environments/good.yaml", "pr_runaway: no\n");
    }

    private static Object render(ConfigRepo config, String name, RenderLimits limits) {
        Problems problems = new Problems();
        Environment environment;
        try {
            environment = config.loader().load(name, null, problems);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        problems.throwIfErrors();
        return new Renderer(config, new TemplateEngine(config.tree(), limits)).render(environment, null);
    }

    private Problem failure(String template) {
        return failure(template, SMALL);
    }

    private Problem failure(String template, RenderLimits limits) {
        ConfigRepo config = repo(template).open();
        long started = System.nanoTime();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> render(config, "bad", limits));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 20_000 + limits.timeout().toMillis(), "stopped at a limit, took " + millis + " ms");
        assertEquals(1, e.problems().all().size(), e.getMessage());
        DesiredState good = (DesiredState) render(config, "good", limits);
        assertEquals(1, good.objects().size(), "the other environment renders");
        return e.problems().all().get(0);
    }

    @Test
    void aLoopOfTenToTheTenFailsAtTheTimeLimit() {
        Problem problem = failure("<#list 1..10000000000 as i></#list>");
        assertEquals("templates/probe/runaway.yaml.ftl", problem.where());
        assertEquals("rendering the environment took longer than 1 s (a loop without end?); rendering was stopped "
                + "(environment bad, application probe)", problem.message());
    }

    @Test
    void aLoopInAnImportedMacroStopsToo() {
        Problem problem = failure("<#import \"lib.ftl\" as lib><@lib.spin/>");
        assertTrue(problem.message().startsWith("rendering the environment took longer than 1 s"), problem.message());
    }

    @Test
    void aGigabyteOfOutputFailsAtTheSizeLimit() {
        Problem problem = failure("<#list 1..50000000 as i>xxxxxxxxxxxxxxxxxxxx</#list>", SMALL_OUTPUT);
        assertEquals("templates/probe/runaway.yaml.ftl", problem.where());
        assertEquals("rendering the environment produced more than 1048576 characters (a loop without end?); "
                + "rendering was stopped (environment bad, application probe)", problem.message());
    }

    @Test
    void endlessMacroRecursionIsAnErrorNamingTheTemplate() {
        Problem problem = failure("<#macro f n><@f n + 1/></#macro><@f 0/>", SMALL_OUTPUT);
        assertEquals("templates/probe/runaway.yaml.ftl", problem.where());
        assertEquals("endless recursion: the template's macros or functions call themselves without end (stack overflow) "
                + "(environment bad, application probe)", problem.message());
    }

    @Test
    void theLimitsSpanTheWholeEnvironmentAndTheThreadStaysUsable() {
        TemplateEngine engine = new TemplateEngine(repo("").open().tree(), new RenderLimits(Duration.ofSeconds(5), 100));
        RenderLimits.Budget budget = engine.limits().start();
        String fine = engine.render("templates/probe/fine.yaml.ftl", Map.of(), budget); // 73 characters
        assertEquals(73, fine.length());
        assertThrows(TemplateEngine.LimitExceeded.class, () -> engine.render("templates/probe/fine.yaml.ftl", Map.of(), budget));
        assertEquals(73, engine.render("templates/probe/fine.yaml.ftl", Map.of()).length(), "a fresh budget");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void limitsFromTheEnvironment() {
        assertEquals(new RenderLimits(Duration.ofSeconds(30), 32L << 20), RenderLimits.fromEnvironment(k -> null));
        assertEquals(new RenderLimits(Duration.ofSeconds(5), 2L << 20),
                RenderLimits.fromEnvironment(Map.of("DMR_RENDER_TIMEOUT_SECONDS", "5", "DMR_RENDER_MAX_OUTPUT_MIB", "2")::get));
        assertThrows(IllegalArgumentException.class,
                () -> RenderLimits.fromEnvironment(Map.of("DMR_RENDER_TIMEOUT_SECONDS", "soon")::get));
    }
}
