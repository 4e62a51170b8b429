/**
 * The long-running reconciler's view of the cluster, kept by watches instead of read on every pass: informers
 * on the reconciler's own objects (label-selected, one per type the environments render, metadata only) and
 * on its inventory ConfigMaps. A pass reads them through {@code plan.LiveObjects} and
 * {@code inventory.InventoryStore.Source}; whatever is not known to be current (not listed yet, a watch
 * reconnecting or relisting) is read from the API server instead, and absence is never taken from a cache.
 *
 * <h2>What a cache may decide, and what it may not</h2>
 * A watch can lag, and it can break without knowing it (a connection that stops delivering but never closes: the
 * informer still says it is watching). So nothing is written on the cache's word alone:
 * <ul>
 *   <li>every update is bound to the UID the cache showed ({@code apply.ServerSideApply}): an object deleted, or
 *       deleted and made again by someone else, since is refused by the API server, not written, and its type's
 *       informer is restarted ({@link dev.dmreconciler.watch.WatchCache#distrust});</li>
 *   <li>a prune, and the delete of a replacement, read the object again and delete with a UID precondition;</li>
 *   <li>an object the cache does not show is read from the API server before it is created, adopted or dropped
 *       from an inventory; adoption is only ever decided on such a read (the cache holds only marked objects);</li>
 *   <li>a pass that writes takes the environment's Lease and LISTs the inventories again.</li>
 * </ul>
 * The objects it holds are frozen ({@link dev.dmreconciler.watch.Frozen}): passes and the drift watch share them
 * without copies, and none of them can change what another plans from.
 *
 * <h2>Read as the reconciler, written as the environment's identity</h2>
 * The informers read with the reconciler's own identity, not with the ServiceAccount an environment's policy
 * impersonates (one cache serves every environment). Checked for every decision a pass takes, none that acts
 * rests on what that identity could not read itself:
 * <ul>
 *   <li>writes (apply, take-over, adoption) are sent as the identity, so its RBAC decides each one, and are bound
 *       to the UID read; a prune's re-read and delete, a replacement's, the namespace-contents check before a
 *       Namespace is deleted, the preconditions (namespaces, ServiceAccounts, required Secrets) and the source
 *       Secret of every copy are requests made as the identity on every pass (never from this cache);</li>
 *   <li>what the cache does decide on the reconciler's read only narrows what is done: "unchanged" (nothing is
 *       written), and inventory bookkeeping, which is the reconciler's own in one-shot commands too (a fingerprint
 *       recorded, an entry dropped for an object whose {@code lifecycle: keep} or adopted Namespace means it is
 *       left alone, never deleted);</li>
 *   <li>the messages built from cached metadata (other field managers, the application an object is handed over
 *       from) concern only objects the environment renders or has in its inventory and that carry the
 *       reconciler's marks.</li>
 * </ul>
 * One difference with the one-shot commands remains, on purpose: an identity that lacks {@code list} of a kind
 * fails a one-shot plan at its LIST, while in {@code run} a pass that has nothing to write there reports it
 * unchanged (any write there would still be refused by RBAC, object by object).
 */
package dev.dmreconciler.watch;
