/**
 * The long-running reconciler's view of the cluster, kept by watches instead of read on every pass: informers
 * on the reconciler's own objects (label-selected, one per type the environments render, metadata only) and
 * on its inventory ConfigMaps. A pass reads them through {@code plan.LiveObjects} and
 * {@code inventory.InventoryStore.Source}; whatever is not known to be current (not listed yet, a watch
 * reconnecting or relisting) is read from the API server instead, and absence is never taken from a cache.
 */
package dev.dmreconciler.watch;
