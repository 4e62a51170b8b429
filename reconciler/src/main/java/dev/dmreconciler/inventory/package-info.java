/**
 * What the reconciler owns on a cluster, per (environment, application): sharded, compressed inventory
 * ConfigMaps with unique names, pending entries recorded before a pass writes, the Lease that serialises the
 * passes of one environment, and the per-cluster key of the keyed hash of Secrets.
 */
package dev.dmreconciler.inventory;
