package dev.dmreconciler.plan;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The planner's decision table, without a client: from what was read (live object, foreign object of the same
 * name, inventory entry) to one {@link Verdict}. {@link Planner} gathers the facts; this class decides, so the
 * whole table is unit-tested offline ({@code DecisionsTest}).
 *
 * <p>Desired objects:
 * <pre>
 *  ours live | foreign live       | inventory / policy                | verdict
 *  ----------+--------------------+-----------------------------------+------------------------------------------
 *  none      | -                  | create-once, entry hash = desired | unchanged (created-once; no request)
 *  none      | none               |                                   | created
 *  none      | ours (other app)   |                                   | configured (handed over)
 *  none      | not ours, our      | recorded entry                    | configured (its marks removed: taken back)
 *            | Apply entry on it  |                                   |
 *  none      | not ours           | adopt requested                   | adopted
 *  (a pending entry, recorded before a pass wrote, counts as no entry for create-once and for taking over)
 *  none      | not ours           |                                   | refused (names its managers, Helm)
 *  present   |                    | hash differs                      | configured (content changed)
 *  present   |                    | hash same, fingerprint recorded   | unchanged
 *  present   |                    | hash same, no entry / other fp    | configured (not in inventory / drift)
 *  present   |                    | entry pending (a create), made by | refused, its fields given up again
 *            |                    | someone else ({@link #madeBy})     | (a create merged into it; adopted
 *            |                    |                                   | when adoption is requested)
 *  present   |                    | entry pending (a create, or naming| failed: cannot tell who made it
 *            |                    | its UID), another maker's fields  | (adopted when adoption is requested)
 *            |                    | on it ({@link #pendingCreate})     |
 *  present   |                    | hash same, entry pending          | configured (a pass did not finish)
 *  any       |                    | invalid lifecycle annotation      | failed
 * </pre>
 * Objects in the inventory that are no longer desired:
 * <pre>
 *  live gone                                          → dropped from the inventory (no change)
 *  entry pending for a create, another maker's fields → kept, never deleted ({@link #pendingRemoval}: released
 *  on it                                                when someone else made it, else left for a person)
 *  wanted by another application or environment      → handed over (no change, dropped from ours)
 *  live has lifecycle keep                            → kept, orphaned (dropped from the inventory)
 *  adopted Namespace                                  → kept, orphaned
 *  Namespace/CRD/PVC without its opt-in               → kept (stays in the inventory)
 *  not every environment of the cluster rendered      → skipped (what is wanted is unknown)
 *  otherwise                                          → deleted (a Namespace holding objects outside the
 *                                                       inventory is kept at delete time, see the applier)
 * </pre>
 */
public final class Decisions {

    static final String HELM_RELEASE = "meta.helm.sh/release-name";
    static final String HELM_NAMESPACE = "meta.helm.sh/release-namespace";

    private Decisions() {
    }

    /** One decision: the outcome the plan intends, why (typed) and in words. */
    public record Verdict(Outcome action, Reason reason, String message) {
    }

    /** Whether a create-once object was already created for this desired spec (then it is not even read). */
    public static boolean createdOnce(Map<String, Object> stamped, Inventory.Entry entry) {
        try {
            return Lifecycle.of(stamped).contains(Lifecycle.CREATE_ONCE) && entry != null && !entry.pending()
                    && Objects.equals(entry.hash(), Stamp.hashOf(stamped));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * @param stamped        the stamped desired object
     * @param ours           the live object carrying this application's marks, or null
     * @param existing       when {@code ours} is null: the object of that name as it is (GET), or null when absent
     * @param entry          this environment's inventory entry, or null
     * @param adoptRequested adoption asked for the whole run or environment ({@code --adopt}, {@code adopt: true})
     */
    public static Verdict desired(Map<String, Object> stamped, GenericKubernetesResource ours,
                                  GenericKubernetesResource existing, Inventory.Entry entry, boolean adoptRequested,
                                  String fieldManager) {
        return desired(stamped, ours, ours == null ? null : Fingerprint.of(ours, fieldManager), existing, entry,
                adoptRequested, fieldManager);
    }

    /**
     * As above, with the live object's {@link Fingerprint} computed once by the caller (the planner keeps it for
     * the inventory entry of an unchanged object).
     *
     * @param fingerprint {@code Fingerprint.of(ours, fieldManager)}; ignored when {@code ours} is null
     */
    public static Verdict desired(Map<String, Object> stamped, GenericKubernetesResource ours, String fingerprint,
                                  GenericKubernetesResource existing, Inventory.Entry entry, boolean adoptRequested,
                                  String fieldManager) {
        try {
            Lifecycle.of(stamped);
        } catch (IllegalArgumentException e) {
            return new Verdict(Outcome.FAILED, Reason.INVALID_POLICY, e.getMessage());
        }
        if (ours == null) {
            if (createdOnce(stamped, entry)) {
                return new Verdict(Outcome.UNCHANGED, Reason.CREATED_ONCE,
                        "create-once: already created for this spec; not created again until it changes");
            }
            if (existing == null) {
                return new Verdict(Outcome.CREATED, Reason.NOT_IN_CLUSTER, "not in the cluster");
            }
            Map<String, String> labels = existing.getMetadata().getLabels();
            // a pending entry only says a pass meant to create it: someone else's object of that name stays theirs;
            // and the inventory holds a name, not an object: an unmarked object of that name is the one applied
            // (its marks removed) only if the reconciler still owns fields of it, not one someone deleted and made
            // again by hand
            boolean inventoried = entry != null && !entry.pending() && appliedBy(existing, fieldManager);
            if (Stamp.managedByUs(labels) || inventoried) {
                String from = labels == null ? null : labels.get(Stamp.APPLICATION);
                return new Verdict(Outcome.CONFIGURED, Reason.HANDED_OVER, Stamp.managedByUs(labels)
                        ? "taken over from " + (from == null ? "this environment's inventory" : "application " + from)
                                + " (carries the reconciler's marks)"
                        : "taken back: in this environment's inventory, its marks removed (the reconciler still owns fields of it)");
            }
            if (adoptRequested || "true".equals(Stamp.annotation(stamped, Stamp.ADOPT))) {
                return new Verdict(Outcome.ADOPTED, Reason.ADOPTION_REQUESTED, "adopted: existed, " + owners(existing));
            }
            return new Verdict(Outcome.REFUSED, Reason.NOT_OURS, "exists and is not managed by dm-reconciler ("
                    + owners(existing) + (entry != null && !entry.pending() ? "; in this environment's inventory, but "
                    + "without the reconciler's marks or fields: made again by someone else" : "")
                    + "); left untouched. To take it over: annotation " + Stamp.ADOPT
                    + ": \"true\" on the object, adopt: true in the environment, or apply --adopt");
        }
        if (entry != null && entry.pending()) {
            Verdict merged = pendingCreate(stamped, ours, entry, adoptRequested, fieldManager);
            if (merged != null) {
                return merged;
            }
        }
        String liveHash = ours.getMetadata().getAnnotations() == null ? null : ours.getMetadata().getAnnotations().get(Stamp.HASH);
        if (!Objects.equals(Stamp.hashOf(stamped), liveHash)) {
            return new Verdict(Outcome.CONFIGURED, Reason.CONTENT_CHANGED, "desired content changed");
        }
        if (entry != null && !entry.pending() && fingerprint.equals(entry.fingerprint())) {
            return new Verdict(Outcome.UNCHANGED, Reason.NONE, "");
        }
        if (entry != null && entry.pending()) {
            return new Verdict(Outcome.CONFIGURED, Reason.NOT_IN_INVENTORY,
                    "recorded by a pass that did not finish (pending in the inventory): applied again");
        }
        if (entry == null) {
            return new Verdict(Outcome.CONFIGURED, Reason.NOT_IN_INVENTORY, "not yet in this environment's inventory");
        }
        return new Verdict(Outcome.CONFIGURED, Reason.DRIFT,
                "drift: fields changed by " + String.join(", ", Fingerprint.otherManagers(ours, fieldManager)));
    }

    /**
     * An object carrying the reconciler's marks whose inventory entry is pending (a pass meant to create it and did not
     * finish): null when it is the reconciler's own (applied again, as before), else why not. Its create may have
     * merged into an object someone else made, whose release did not happen (writing stopped, the release failed) or
     * whose maker the times could not tell ({@link Inventory#MERGED_INTO} on the entry names that object). Asked only
     * of an entry recorded for a create ({@link Inventory#CREATE}) or naming the object: one recorded for an object
     * the plan saw (the reconciler's own, re-applied later than its creation) is applied again.
     *
     * <p>Later than the create, the times say less than they did in its answer: a managed-fields entry's time is when
     * that manager's set of fields last changed, so a maker who adds a field after the creation has an entry later
     * than it, which {@link #madeBy} reads as "a controller wrote after". So here "us" needs more than the times: no
     * other manager that may have made it owns any field of it (the control plane's writes do not count, see
     * {@link #makerCandidates}; an entry that names the object learnt "cannot tell" from the create's answer itself).
     * <pre>
     *  other makers' entries      | made by ({@link #madeBy}) | verdict
     *  ---------------------------+---------------------------+-----------------------------------------------------
     *  none (gone, or only the    | us                        | null: applied again (ours by managed fields alone;
     *  control plane's)           |                           | MERGED_INTO is stale)
     *  one                        | someone else              | refused, its fields given up again (adopted with --adopt)
     *  one                        | us or unknown             | failed: cannot tell who made it (adopted with --adopt);
     *                             |                           | heals when their fields go, the object is deleted, or
     *                             |                           | its maker removes the marks (refused then)
     * </pre>
     */
    static Verdict pendingCreate(Map<String, Object> stamped, GenericKubernetesResource ours, Inventory.Entry entry,
                                 boolean adoptRequested, String fieldManager) {
        boolean named = Objects.equals(entry.extra().get(Inventory.MERGED_INTO), ours.getMetadata().getUid());
        if (!named && !entry.extra().containsKey(Inventory.CREATE)) {
            return null; // the pass meant to write an object it saw (ours, adopted, taken over): no create met it
        }
        Set<String> others = makerCandidates(ours, fieldManager);
        if (others.isEmpty()) {
            return null;
        }
        Maker maker = madeBy(ours, fieldManager);
        if (adoptRequested || "true".equals(Stamp.annotation(stamped, Stamp.ADOPT))) {
            return new Verdict(Outcome.ADOPTED, Reason.ADOPTION_REQUESTED, "adopted: a create of a pass that did not "
                    + "finish wrote to it, field managers: " + String.join(", ", others));
        }
        if (maker != Maker.SOMEONE_ELSE) {
            return new Verdict(Outcome.FAILED, Reason.MAKER_UNKNOWN, makerUnknown(ours, others,
                    "a create of a pass that did not finish (pending in the inventory)") + " (it heals by itself once "
                    + "no other manager owns a field of it, or it is deleted)");
        }
        return new Verdict(Outcome.REFUSED, Reason.MERGED_CREATE, "made by someone else (field managers: "
                + String.join(", ", others) + ", whose fields date from its creation at "
                + ours.getMetadata().getCreationTimestamp() + ", before the reconciler's): a create of a pass that did "
                + "not finish merged into it (pending in the inventory), and it is not taken over without --adopt");
    }

    /**
     * An inventory object no longer rendered, whose entry is pending for a create (or names it; see
     * {@link #pendingCreate}): the create may have merged into someone else's object and left the reconciler's marks on
     * it (its release did not happen, or who made it could not be told). Taking it out of git is the natural answer to
     * "not ours" or "cannot tell": it must not delete their object. Null when nothing says it is not the reconciler's
     * (no other manager that may have made it owns a field of it): then {@link #removed} decides, as for any object.
     * <pre>
     *  other makers' entries | made by ({@link #madeBy}) | verdict
     *  ----------------------+---------------------------+------------------------------------------------------------
     *  none                  | -                         | null ({@link #removed}: deleted, kept, handed over)
     *  one                   | someone else              | kept, its fields given up again (MERGED_CREATE; dropped from
     *                        |                           | the inventory once released)
     *  one                   | us or unknown             | kept, cannot tell who made it (stays in the inventory; a person
     *                        |                           | removes the marks or deletes it)
     * </pre>
     */
    public static Verdict pendingRemoval(GenericKubernetesResource live, Inventory.Entry entry, String fieldManager) {
        if (live == null || entry == null || !entry.pending()) {
            return null;
        }
        boolean named = Objects.equals(entry.extra().get(Inventory.MERGED_INTO), live.getMetadata().getUid());
        if (!named && !entry.extra().containsKey(Inventory.CREATE)) {
            return null;
        }
        Set<String> others = makerCandidates(live, fieldManager);
        if (others.isEmpty()) {
            return null;
        }
        if (madeBy(live, fieldManager) == Maker.SOMEONE_ELSE) {
            return new Verdict(Outcome.KEPT, Reason.MERGED_CREATE, "not deleted: made by someone else (field managers: "
                    + String.join(", ", others) + ", whose fields date from its creation at "
                    + live.getMetadata().getCreationTimestamp() + ", before the reconciler's): a create of a pass that did "
                    + "not finish merged into it (pending in the inventory)");
        }
        return new Verdict(Outcome.KEPT, Reason.MAKER_UNKNOWN, "not deleted: cannot tell who made it: other field managers ("
                + String.join(", ", others) + ") own fields of the object a create of a pass that did not finish wrote to "
                + "(uid " + live.getMetadata().getUid() + ", created " + live.getMetadata().getCreationTimestamp()
                + "); it may be theirs: left as it is, the reconciler's marks stay on it and it stays in the inventory. "
                + "Check it: remove the marks if it is not the reconciler's (then it is dropped), delete it if it is");
    }

    /**
     * An inventory object this application no longer renders; null when nothing is to be done (already gone, or
     * handed over to another application or environment that wants it).
     *
     * @param live           the live object carrying the application's marks, or null
     * @param wantedByOthers another application of this environment, another environment of the cluster (rendered
     *                       now), or another environment's inventory has it
     * @param wantedUnknown  why what the cluster wants is unknown (an environment did not render), or null
     * @param kindRefusal    why the prune policy keeps this kind ({@link PrunePolicy}), or null
     */
    public static Verdict removed(String kind, GenericKubernetesResource live, boolean wantedByOthers,
                                  String wantedUnknown, String kindRefusal) {
        if (live == null || wantedByOthers) {
            return null;
        }
        Map<String, String> annotations = live.getMetadata().getAnnotations();
        Set<Lifecycle> policies;
        try {
            policies = Lifecycle.parse(annotations == null ? null : annotations.get(Stamp.LIFECYCLE));
        } catch (IllegalArgumentException e) {
            return new Verdict(Outcome.KEPT, Reason.INVALID_POLICY, "not deleted: " + e.getMessage());
        }
        if (policies.contains(Lifecycle.KEEP)) {
            return new Verdict(Outcome.KEPT, Reason.KEEP_POLICY, "lifecycle keep: left in the cluster, no longer managed");
        }
        if (kind.equals("Namespace") && annotations != null && "true".equals(annotations.get(Stamp.ADOPTED))) {
            return new Verdict(Outcome.KEPT, Reason.ADOPTED_NAMESPACE,
                    "an adopted Namespace is never deleted: left in the cluster, no longer managed");
        }
        if (kindRefusal != null) {
            return new Verdict(Outcome.KEPT, Reason.PROTECTED_KIND, kindRefusal);
        }
        if (wantedUnknown != null) {
            return new Verdict(Outcome.SKIPPED, Reason.WANTED_UNKNOWN, "not pruned: " + wantedUnknown);
        }
        return new Verdict(Outcome.DELETED, Reason.NO_LONGER_DESIRED, "no longer desired");
    }

    /**
     * A create's answer (server-side apply without a UID: the plan saw no object of that name) that other managers own
     * fields of (entries of a subresource do not count). Other managers' fields alone are no evidence that someone
     * else made the object: controllers write the main resource of what they watch within milliseconds of its
     * creation (the Deployment controller's revision annotation, an operator's finalizer, the token controller's
     * ServiceAccount {@code secrets} before 1.24, and before 1.22 every status write, recorded without its
     * subresource), and such a write can be in the answer of our own create when it was retried after its answer was
     * lost, or when another environment's pass created the same shared object a moment before (same field manager:
     * its write is ours, and the second create changes nothing). The control plane's writes to an object it does not
     * make never count ({@link ControlPlane#touch}); for the rest only the times say who came first: the API server stamps {@code metadata.creationTimestamp} when it makes
     * the object, after the maker's managed-fields entry got its time, and both are kept to the second
     * ({@link #madeBy}). Null when the create made it; refused (the caller releases the fields it wrote) only when
     * another manager's entry dates from the creation and ours is later; failed, never released, when the times cannot
     * tell.
     *
     * @param answer the object as the create's answer has it (its managed fields and creation time)
     */
    public static Verdict createdBySomeoneElse(GenericKubernetesResource answer, String fieldManager) {
        Set<String> others = makerCandidates(answer, fieldManager);
        return switch (madeBy(answer, fieldManager)) {
            case US -> null;
            case SOMEONE_ELSE -> new Verdict(Outcome.REFUSED, Reason.NOT_OURS, "made by someone else since this pass "
                    + "read it (field managers: " + String.join(", ", others) + ", whose fields date from its creation "
                    + "at " + answer.getMetadata().getCreationTimestamp() + ", before the reconciler's): the create "
                    + "merged into that object, which is not taken over without --adopt");
            case UNKNOWN -> new Verdict(Outcome.FAILED, Reason.MAKER_UNKNOWN, makerUnknown(answer, others));
        };
    }

    /** The message of {@link Maker#UNKNOWN}: who else owns fields, the UID, what a person does. */
    static String makerUnknown(GenericKubernetesResource object, Set<String> others) {
        return makerUnknown(object, others, "this pass's create");
    }

    private static String makerUnknown(GenericKubernetesResource object, Set<String> others, String writer) {
        return "cannot tell who made it: other field managers (" + String.join(", ", others) + ") own fields of the "
                + "object " + writer + " wrote to (uid " + object.getMetadata().getUid() + ", created "
                + (object.getMetadata().getCreationTimestamp() == null ? "at an unknown time"
                : object.getMetadata().getCreationTimestamp()) + "), and the API server's times (to the second) do not "
                + "say whether they or the reconciler made it; left as it is (the reconciler's marks stay, nothing is "
                + "removed, it is not taken over); check it and use --adopt or remove the marks";
    }

    /** Who made an object that this field manager and others own fields of (see {@link #madeBy}). */
    public enum Maker { US, SOMEONE_ELSE, UNKNOWN }

    /**
     * Who made the object, from its managed fields' times and its creation time (all to the second). C is
     * {@code metadata.creationTimestamp}, O the time of this manager's Apply entry, F the times of other managers'
     * entries that may be a maker's ({@link #makerCandidates}: subresource entries and the control plane's writes to
     * an object it does not make do not count). The maker's entry is timed before C is stamped, so it is at or
     * before C (in the same second, or the one before); later writers' entries are at or after C; an apply that
     * changes nothing keeps its entry's time (a retried create of the same body).
     * <pre>
     *  other managers' entries          | ours (O)  | made by
     *  ---------------------------------+-----------+-----------------------------------------------------------
     *  none (or only the control plane's| any       | us (the create made it)
     *  writes to what it does not make) |           |
     *  all later than C                 | O &lt;= C    | us (others wrote after its creation: a controller)
     *  one at or before C               | O &gt; C     | someone else (their entry dates from its creation; ours later)
     *  one at or before C               | O &lt;= C    | unknown (both within its creation second)
     *  all later than C                 | O &gt; C     | unknown (no entry dates from its creation)
     *  a time missing (C, O or an F)    |           | unknown
     * </pre>
     */
    public static Maker madeBy(GenericKubernetesResource object, String fieldManager) {
        List<ManagedFieldsEntry> entries = object.getMetadata() == null ? null : object.getMetadata().getManagedFields();
        if (entries == null || makerCandidates(object, fieldManager).isEmpty()) {
            return Maker.US;
        }
        java.time.Instant created = seconds(object.getMetadata().getCreationTimestamp());
        java.time.Instant ours = null;
        boolean foreignAtCreation = false;
        for (ManagedFieldsEntry entry : entries) {
            if (entry.getSubresource() != null && !entry.getSubresource().isEmpty()) {
                continue;
            }
            java.time.Instant time = seconds(entry.getTime());
            if (fieldManager.equals(entry.getManager())) {
                if ("Apply".equals(entry.getOperation())) {
                    ours = time;
                }
                continue;
            }
            if (ControlPlane.touch(object, entry)) {
                continue;
            }
            if (time == null) {
                return Maker.UNKNOWN;
            }
            foreignAtCreation |= created != null && !time.isAfter(created);
        }
        if (created == null || ours == null) {
            return Maker.UNKNOWN;
        }
        boolean oursAtCreation = !ours.isAfter(created);
        if (oursAtCreation && !foreignAtCreation) {
            return Maker.US;
        }
        if (!oursAtCreation && foreignAtCreation) {
            return Maker.SOMEONE_ELSE;
        }
        return Maker.UNKNOWN;
    }

    /**
     * Other managers whose entry may be the maker's: of the object itself (not of a subresource), not this field
     * manager, and not the control plane's write to an object it does not make ({@link ControlPlane#touch}); sorted.
     */
    static Set<String> makerCandidates(GenericKubernetesResource object, String fieldManager) {
        List<ManagedFieldsEntry> entries = object.getMetadata() == null ? null : object.getMetadata().getManagedFields();
        Set<String> others = new TreeSet<>();
        if (entries != null) {
            for (ManagedFieldsEntry entry : entries) {
                if ((entry.getSubresource() == null || entry.getSubresource().isEmpty())
                        && !fieldManager.equals(entry.getManager()) && !ControlPlane.touch(object, entry)) {
                    others.add(entry.getManager() == null ? "(no manager name)" : entry.getManager());
                }
            }
        }
        return others;
    }

    /** An RFC 3339 time of the API server (seconds), or null when absent or unreadable. */
    private static java.time.Instant seconds(String time) {
        if (time == null || time.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(time).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Whether an outcome leaves the object out of the inventory although it was there (orphaned or not ours). */
    public static boolean orphans(Reason reason) {
        return reason == Reason.KEEP_POLICY || reason == Reason.ADOPTED_NAMESPACE || reason == Reason.NO_LONGER_OURS;
    }

    /** Whether the field manager's Apply entry is on the object (it applied this very object and owns fields of it). */
    static boolean appliedBy(GenericKubernetesResource live, String fieldManager) {
        List<ManagedFieldsEntry> entries = live.getMetadata().getManagedFields();
        return entries != null && entries.stream().anyMatch(e -> fieldManager.equals(e.getManager())
                && "Apply".equals(e.getOperation()) && (e.getSubresource() == null || e.getSubresource().isEmpty()));
    }

    /** "field managers: kubectl-create, helm; Helm release web in team-a" — who has the object now. */
    public static String owners(GenericKubernetesResource existing) {
        List<ManagedFieldsEntry> entries = existing.getMetadata().getManagedFields();
        Set<String> managers = new TreeSet<>();
        if (entries != null) {
            entries.stream().map(ManagedFieldsEntry::getManager).filter(Objects::nonNull).forEach(managers::add);
        }
        StringBuilder out = new StringBuilder(managers.isEmpty() ? "no field managers recorded"
                : "field managers: " + String.join(", ", managers));
        Map<String, String> annotations = existing.getMetadata().getAnnotations();
        if (annotations != null && annotations.get(HELM_RELEASE) != null) {
            out.append("; Helm release ").append(annotations.get(HELM_RELEASE));
            if (annotations.get(HELM_NAMESPACE) != null) {
                out.append(" in ").append(annotations.get(HELM_NAMESPACE));
            }
        }
        return out.toString();
    }
}
