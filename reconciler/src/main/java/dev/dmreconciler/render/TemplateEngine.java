package dev.dmreconciler.render;

import dev.dmreconciler.source.RepoTree;
import freemarker.cache.TemplateNameFormat;
import freemarker.core.JSONCFormat;
import freemarker.core.TemplateClassResolver;
import freemarker.ext.beans.BeansWrapper;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * FreeMarker, configured strict and sandboxed: an undefined variable is an error; {@code ?new} and
 * {@code ?api} are disabled and no Java object is exposed (the data model is plain maps, lists, strings,
 * numbers and booleans); templates load only from the repository's bundle folders. Output is locale-free
 * ({@code ?c} gives JSON literals, which are valid YAML), so the same input renders byte-identically.
 * One engine serves one immutable tree and may be shared by threads.
 */
public final class TemplateEngine {

    private static final freemarker.template.Version VERSION = Configuration.VERSION_2_3_34;

    private final Configuration configuration;
    private final RepoTree tree;
    private final RenderLimits limits;
    private final BoundedRendering bounded = BoundedRendering.create();

    public TemplateEngine(RepoTree tree) {
        this(tree, RenderLimits.current());
    }

    /** @param limits time and output limits of one environment (see {@link #render(String, Map, RenderLimits.Budget)}) */
    public TemplateEngine(RepoTree tree, RenderLimits limits) {
        this.limits = limits;
        this.tree = tree;
        configuration = new Configuration(VERSION) {
            @Override // every template, imported and included ones too, can be stopped (BoundedRendering)
            public Template getTemplate(String name, Locale locale, Object condition, String encoding, boolean parseAsFTL,
                                        boolean ignoreMissing) throws IOException {
                return bounded.interruptible(super.getTemplate(name, locale, condition, encoding, parseAsFTL, ignoreMissing));
            }
        };
        configuration.setTemplateLoader(new RepoTemplateLoader(tree)); // a failed read is not kept: renderRoot
        configuration.setTemplateNameFormat(TemplateNameFormat.DEFAULT_2_4_0);
        configuration.setLocalizedLookup(false);
        configuration.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
        configuration.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        configuration.setAPIBuiltinEnabled(false);
        DefaultObjectWrapperBuilder wrapper = new DefaultObjectWrapperBuilder(VERSION);
        wrapper.setExposureLevel(BeansWrapper.EXPOSE_NOTHING);
        configuration.setObjectWrapper(wrapper.build());
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        configuration.setAttemptExceptionReporter((exception, environment) -> { });
        configuration.setWrapUncheckedExceptions(true);
        configuration.setFallbackOnNullLoopVariable(false);
        configuration.setCFormat(JSONCFormat.INSTANCE);
        configuration.setNumberFormat("computer");
        configuration.setBooleanFormat("c");
        configuration.setLocale(Locale.ROOT);
        configuration.setTimeZone(TimeZone.getTimeZone("UTC"));
        configuration.setDefaultEncoding("UTF-8");
        configuration.setSharedVariable(TemplateHelpers.NAME, TemplateHelpers.create(configuration.getObjectWrapper()));
    }

    public RenderLimits limits() {
        return limits;
    }

    /**
     * Renders a template with a data model of plain values, within a budget of its own.
     *
     * @throws TemplateError naming the template file and line
     */
    public String render(String templatePath, Map<String, Object> model) {
        return render(templatePath, model, limits.start());
    }

    /**
     * Renders a template within what is left of its environment's budget ({@link RenderLimits#start()} once per
     * environment).
     *
     * @throws LimitExceeded when the environment's time or output limit is exceeded or the template recurses
     *                       without end, naming the template
     * @throws TemplateError naming the template file and line
     */
    public String render(String templatePath, Map<String, Object> model, RenderLimits.Budget budget) {
        return renderRoot(templatePath, model, budget);
    }

    /** What a template printed and which top-level variables of its model it read ({@link RecordingModel#reads()}). */
    record Recorded(String text, Map<String, Object> reads) {
    }

    /** {@link #render(String, Map, RenderLimits.Budget)}, noting which variables of the model the template read. */
    Recorded renderRecorded(String templatePath, Map<String, Object> model, RenderLimits.Budget budget) {
        RecordingModel root;
        try {
            root = new RecordingModel(model, configuration.getObjectWrapper());
        } catch (freemarker.template.TemplateModelException e) {
            throw new TemplateError(templatePath, "cannot build the data model: " + e.getMessage());
        }
        String text = renderRoot(templatePath, root, budget);
        return new Recorded(text, root.reads());
    }

    private String renderRoot(String templatePath, Object model, RenderLimits.Budget budget) {
        try (BoundedRendering.Watchdog watchdog = new BoundedRendering.Watchdog(budget)) {
            try {
                return renderBounded(templatePath, model, budget);
            } catch (StackOverflowError e) {
                throw new LimitExceeded(templatePath, "endless recursion: the template's macros or functions call "
                        + "themselves without end (stack overflow)");
            } catch (RuntimeException e) {
                if (watchdog.fired()) {
                    throw new LimitExceeded(templatePath, "rendering the environment took longer than "
                            + limits.timeout().toSeconds() + " s (a loop without end?); rendering was stopped");
                }
                if (!budget.spend(0)) {
                    throw new LimitExceeded(templatePath, "rendering the environment produced more than "
                            + limits.maxChars() + " characters (a loop without end?); rendering was stopped");
                }
                throw e;
            }
        }
    }

    /**
     * FreeMarker caches a template whose load threw (here: reading it from the tree failed) and, with no update
     * delay, answers that name with the same failure for the life of the engine; a transient read error would fail
     * every later render until the template files change. This render has failed and the cache holds the failure
     * by now, so the cache is emptied (templates are parsed again on the next render: rare, and only after a failed
     * read). Missing templates and syntax errors stay cached: they fail the same way each time.
     */
    private java.util.Optional<RepoTemplateLoader.ReadFailed> forgetFailedReads(Throwable failure) {
        java.util.Optional<RepoTemplateLoader.ReadFailed> read = RepoTemplateLoader.ReadFailed.in(failure);
        if (read.isPresent()) {
            configuration.clearTemplateCache();
        }
        return read;
    }

    private String renderBounded(String templatePath, Object model, RenderLimits.Budget budget) {
        try {
            Template template = configuration.getTemplate(templatePath);
            StringWriter out = new StringWriter();
            template.process(model, BoundedRendering.bounded(out, budget));
            return out.toString();
        } catch (BoundedRendering.OutputLimitExceeded e) {
            throw new IllegalStateException(e); // reported by render() from the budget
        } catch (freemarker.core.ParseException e) {
            throw syntaxError(templatePath, e);
        } catch (TemplateException e) {
            forgetFailedReads(e); // an #include or #import whose file could not be read
            String source = e.getTemplateSourceName() == null ? templatePath
                    : RepoTemplateLoader.repoPath(e.getTemplateSourceName());
            String where = e.getLineNumber() == null ? source : source + ":" + e.getLineNumber();
            throw new TemplateError(where, TemplateMessages.translate(firstParagraph(e.getMessageWithoutStackTop()))
                    + TemplateStack.parse(e.getFTLInstructionStack()).caller());
        } catch (freemarker.template.TemplateNotFoundException e) {
            throw new TemplateError(templatePath, "template not found (templates load only from "
                    + String.join(", ", RepoTemplateLoader.TEMPLATE_ROOTS) + ")");
        } catch (freemarker.template.MalformedTemplateNameException e) {
            throw new TemplateError(templatePath, "bad template name: " + e.getMalformednessDescription());
        } catch (IOException e) {
            java.util.Optional<RepoTemplateLoader.ReadFailed> read = forgetFailedReads(e);
            if (read.isPresent()) { // (FreeMarker's own message for a load failed earlier says only "see the cause")
                throw new TemplateError(templatePath, read.get().getMessage());
            }
            if (e.getCause() instanceof freemarker.core.ParseException parse) {
                // FreeMarker caches a failed parse and answers later uses with a generic IOException: report the
                // same syntax error again, so the mistake is one problem however often the template is used
                throw syntaxError(templatePath, parse);
            }
            throw new TemplateError(templatePath, "cannot read template: " + e.getMessage());
        }
    }

    /**
     * Renders a short template given as text (a precondition's name) with the same sandbox and helpers.
     *
     * @param name what the text is, for messages ("templates/app/bundle.yaml:12")
     * @throws TemplateError naming {@code name}
     */
    public String renderText(String name, String text, Map<String, Object> model) {
        try {
            Template template = new Template(name, new java.io.StringReader(text), configuration);
            StringWriter out = new StringWriter();
            template.process(model, out);
            return out.toString();
        } catch (freemarker.core.ParseException e) {
            throw new TemplateError(name, "template syntax error: " + firstParagraph(e.getEditorMessage()));
        } catch (TemplateException e) {
            throw new TemplateError(name, firstParagraph(e.getMessageWithoutStackTop()));
        } catch (IOException e) {
            throw new TemplateError(name, "cannot render: " + e.getMessage());
        }
    }

    private static TemplateError syntaxError(String templatePath, freemarker.core.ParseException e) {
        String where = (e.getTemplateName() == null ? templatePath : RepoTemplateLoader.repoPath(e.getTemplateName()))
                + ":" + e.getLineNumber();
        return new TemplateError(where, "template syntax error: " + firstParagraph(e.getEditorMessage()));
    }

    /**
     * Locates a mistake found in a template's rendered output at the template line that wrote it, by rendering
     * once more (same input, same output) and noting which instruction writes the faulty position. Used only
     * on the error path.
     *
     * @return where (file:line of the template, or the template when it cannot be told) and the message, which
     *         names what an interpolation printed
     */
    public TemplateError explain(String templatePath, Map<String, Object> model, ManifestReader.BadManifest e) {
        if (e.line() <= 0) {
            return new TemplateError(templatePath, e.getMessage());
        }
        OutputOrigin origin = new OutputOrigin(e.line(), e.column());
        RenderLimits.Budget budget = limits.start();
        try (BoundedRendering.Watchdog watchdog = new BoundedRendering.Watchdog(budget)) {
            configuration.getTemplate(templatePath).process(model, BoundedRendering.bounded(origin, budget));
        } catch (IOException | TemplateException | RuntimeException | StackOverflowError failed) {
            return new TemplateError(templatePath, e.getMessage()); // rendered once already; cannot happen in practice
        }
        return origin.origin(this::source)
                .map(frame -> new TemplateError(frame.where(), e.getMessage()
                        + (frame.instruction().startsWith("${") ? ", printed by " + frame.instruction() : "")
                        + (frame.template().equals(templatePath) ? "" : " (rendering " + templatePath + ")")))
                .orElseGet(() -> new TemplateError(templatePath, e.getMessage()));
    }

    private java.util.Optional<String> source(String path) {
        try {
            return tree.read(path).map(bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException ioe) {
            return java.util.Optional.empty();
        }
    }

    /** FreeMarker appends tips and an FTL stack after a line of dashes; the first part is the message. */
    private static String firstParagraph(String message) {
        if (message == null) {
            return "unknown template error";
        }
        int tips = message.indexOf("\n----");
        return (tips < 0 ? message : message.substring(0, tips)).strip().replace('\n', ' ');
    }

    /** A template exceeded its environment's render limits: the environment fails, rendering stops. */
    public static final class LimitExceeded extends TemplateError {
        LimitExceeded(String where, String message) {
            super(where, message);
        }
    }

    /** A template failed: {@code where} is "file:line". */
    public static class TemplateError extends RuntimeException {
        private final String where;

        TemplateError(String where, String message) {
            super(message);
            this.where = where;
        }

        public String where() {
            return where;
        }
    }
}
