package dev.dmreconciler.controller;

import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.Set;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Quartz, in memory: a fetch every interval, a resync every resync period, and one durable job per
 * environment, triggered on demand. {@link DisallowConcurrentExecution} on the environment job means an
 * environment never has two passes at once (a trigger during a pass waits for it), while different
 * environments run in parallel on the pool, so a slow one does not hold up the others.
 */
final class Schedule implements AutoCloseable {

    private static final String CONTROLLER = "controller";
    private static final JobKey FETCH = JobKey.jobKey("fetch", "git");
    private static final String ENVIRONMENTS = "environments";

    private final Scheduler scheduler;
    private final Duration interval;
    private final Duration resync;

    Schedule(Controller controller, Duration interval, Duration resync, int threads) throws SchedulerException {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "dm-reconciler-" + System.identityHashCode(controller));
        properties.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads + 2));
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

    void reconcileAll(Set<String> environments) {
        environments.forEach(e -> trigger(environmentJob(e)));
    }

    void reconcileLater(String environment, Duration delay) {
        JobKey key = environmentJob(environment);
        try {
            scheduler.scheduleJob(TriggerBuilder.newTrigger().forJob(key)
                    .startAt(new Date(System.currentTimeMillis() + delay.toMillis())).build());
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule a retry of " + environment, e);
        }
    }

    private JobKey environmentJob(String environment) {
        JobKey key = JobKey.jobKey(environment, ENVIRONMENTS);
        try {
            if (!scheduler.checkExists(key)) {
                JobDetail job = JobBuilder.newJob(ReconcileJob.class).withIdentity(key).storeDurably().build();
                scheduler.addJob(job, false);
            }
        } catch (SchedulerException e) {
            // another thread added it first
        }
        return key;
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

    /** Waits for running passes (they stop writing once the controller is stopping) and stops the pool. */
    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
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

    /** One pass of one environment (the job's name). */
    @DisallowConcurrentExecution
    public static final class ReconcileJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            controller(context).reconcile(context.getJobDetail().getKey().getName());
        }
    }
}
