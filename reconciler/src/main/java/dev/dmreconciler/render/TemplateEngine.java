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

    public TemplateEngine(RepoTree tree) {
        configuration = new Configuration(VERSION);
        configuration.setTemplateLoader(new RepoTemplateLoader(tree));
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

    /**
     * Renders a template with a data model of plain values.
     *
     * @throws TemplateError naming the template file and line
     */
    public String render(String templatePath, Map<String, Object> model) {
        try {
            Template template = configuration.getTemplate(templatePath);
            StringWriter out = new StringWriter();
            template.process(model, out);
            return out.toString();
        } catch (freemarker.core.ParseException e) {
            String where = (e.getTemplateName() == null ? templatePath : RepoTemplateLoader.repoPath(e.getTemplateName()))
                    + ":" + e.getLineNumber();
            throw new TemplateError(where, "template syntax error: " + firstParagraph(e.getEditorMessage()));
        } catch (TemplateException e) {
            String source = e.getTemplateSourceName() == null ? templatePath
                    : RepoTemplateLoader.repoPath(e.getTemplateSourceName());
            String where = e.getLineNumber() == null ? source : source + ":" + e.getLineNumber();
            throw new TemplateError(where, firstParagraph(e.getMessageWithoutStackTop()));
        } catch (freemarker.template.TemplateNotFoundException e) {
            throw new TemplateError(templatePath, "template not found (templates load only from "
                    + String.join(", ", RepoTemplateLoader.TEMPLATE_ROOTS) + ")");
        } catch (freemarker.template.MalformedTemplateNameException e) {
            throw new TemplateError(templatePath, "bad template name: " + e.getMalformednessDescription());
        } catch (IOException e) {
            throw new TemplateError(templatePath, "cannot read template: " + e.getMessage());
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

    /** A template failed: {@code where} is "file:line". */
    public static final class TemplateError extends RuntimeException {
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
