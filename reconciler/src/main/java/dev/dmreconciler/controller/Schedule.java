package dev.dmreconciler.controller;

import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Quartz, in memory, keeps the timing only: a fetch every interval and a resync every resync period. Neither
 * runs a pass; they mark environments due in the {@link WorkQueue}, which runs the passes.
 */
final class Schedule implements AutoCloseable {

    private static final String CONTROLLER = "controller";
    private static final JobKey FETCH = JobKey.jobKey("fetch", "git");

    private final Scheduler scheduler;
    private final Duration interval;
    private final Duration resync;

    Schedule(Controller controller, Duration interval, Duration resync) throws SchedulerException {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "dm-reconciler-" + System.identityHashCode(controller));
        properties.setProperty("org.quartz.threadPool.threadCount", "2");
        properties.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        properties.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        scheduler = new StdSchedulerFactory(properties).getScheduler();
        scheduler.getContext().put(CONTROLLER, controller);
        this.interval = interval;
        this.resync = resync;
    }

    void start() throws SchedulerException {
        scheduler.scheduleJob(JobBuilder.newJob(FetchJob.class).withIdentity(FETCH).build(),
                repeating("fetch", interval));
        scheduler.scheduleJob(JobBuilder.newJob(ResyncJob.class).withIdentity("resync", "git").build(),
                TriggerBuilder.newTrigger().withIdentity("resync").startAt(new Date(System.currentTimeMillis() + resync.toMillis()))
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(resync.toMillis())
                                .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount()).build());
        scheduler.start();
    }

    private static Trigger repeating(String name, Duration every) {
        return TriggerBuilder.newTrigger().withIdentity(name).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(every.toMillis())
                        .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount()).build();
    }

    void fetchNow() {
        trigger(FETCH);
    }

    private void trigger(JobKey key) {
        try {
            if (!scheduler.isShutdown()) {
                scheduler.triggerJob(key);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot trigger " + key, e);
        }
    }

    /** Stops the timers at once; a fetch in progress is not waited for (it marks nothing once the queue is closed). */
    @Override
    public void close() {
        try {
            scheduler.shutdown(false);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Controller controller(JobExecutionContext context) {
        try {
            return (Controller) context.getScheduler().getContext().get(CONTROLLER);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fetch the repository. */
    @DisallowConcurrentExecution
    public static final class FetchJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            controller(context).fetch();
        }
    }

    /** Trigger every environment. */
    @DisallowConcurrentExecution
    public static final class ResyncJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            controller(context).resync();
        }
    }

}
