package dev.dmreconciler.render;

import freemarker.core._CoreAPI;
import freemarker.template.Template;
import java.io.IOException;
import java.io.Writer;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The mechanics of {@link RenderLimits}, kept apart from {@link TemplateEngine}'s configuration:
 * <ul>
 *   <li>time: every loaded template (imported and included ones too) gets FreeMarker's thread-interruption
 *       checks in each nested block; a watchdog interrupts the rendering thread at the deadline, so even a loop
 *       that prints nothing stops;</li>
 *   <li>size: the output goes through a writer that refuses to grow past the environment's limit (the 1 GB loop
 *       never allocates more than the limit);</li>
 *   <li>recursion: a StackOverflowError becomes an error naming the template (see TemplateEngine).</li>
 * </ul>
 */
final class BoundedRendering {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "render-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final Set<Template> checked = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private BoundedRendering() {
    }

    static BoundedRendering create() {
        return new BoundedRendering();
    }

    /** Adds the interruption checks to a template once (templates are cached and shared by threads). */
    Template interruptible(Template template) {
        if (template != null && checked.add(template)) {
            _CoreAPI.addThreadInterruptedChecks(template);
        }
        return template;
    }

    /** Thrown by the writer when the environment's output exceeds its limit. */
    static final class OutputLimitExceeded extends IOException {
        OutputLimitExceeded(long maxChars) {
            super("output over " + maxChars + " characters");
        }
    }

    /** Output that counts against the budget and refuses to pass the limit. */
    static Writer bounded(Writer out, RenderLimits.Budget budget) {
        return new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                if (!budget.spend(length)) {
                    throw new OutputLimitExceeded(budget.limits().maxChars());
                }
                out.write(buffer, offset, length);
            }

            @Override
            public void write(String text, int offset, int length) throws IOException {
                if (!budget.spend(length)) {
                    throw new OutputLimitExceeded(budget.limits().maxChars());
                }
                out.write(text, offset, length);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    /** Interrupts the current thread when the budget's time is up, unless {@link #close()}d first. */
    static final class Watchdog implements AutoCloseable {
        private final Thread thread = Thread.currentThread();
        private final ScheduledFuture<?> alarm;
        private boolean done;
        private boolean fired;

        Watchdog(RenderLimits.Budget budget) {
            alarm = WATCHDOG.schedule(this::fire, Math.max(0, budget.nanosLeft()), TimeUnit.NANOSECONDS);
        }

        private synchronized void fire() {
            if (!done) {
                fired = true;
                thread.interrupt();
            }
        }

        synchronized boolean fired() {
            return fired;
        }

        /** Stops the alarm; clears the interrupt it caused, so the thread goes on normally. */
        @Override
        public synchronized void close() {
            done = true;
            alarm.cancel(false);
            if (fired) {
                Thread.interrupted();
            }
        }
    }
}
