<#import "../../templates/dm-reconciler/labels.ftl" as l>
<#-- The reconciler's own state in its namespace. -->
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: dm-reconciler
  namespace: ${dr_namespace?c}
  labels:
<@l.labels/>
rules:
  # Leader election (--leader-elect): read the Lease, create it the first time, renew, take over or
  # release it. The fabric8 7.x LeaseLock renews with a PATCH carrying the resourceVersion (optimistic
  # lock), not a PUT: patch, not update (measured: without patch every renewal is refused).
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs: [get, create, patch, update]
  # Inventories (--inventory-namespace, this namespace): one label-selected LIST per pass, create or
  # update (a PUT with the resourceVersion read: an optimistic lock) of each changed shard, delete of shards
  # no longer needed. Kept here as well as in the ClusterRole so the inventories do not depend on a bundle
  # rendering ConfigMaps. The per-environment apply Leases (dm-reconciler-apply.*) use the leases rule above
  # (update: acquire, renew, release with the resourceVersion read).
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, create, update, patch, delete]
  # The per-cluster key of the keyed hash of Secrets (Secret dm-reconciler-hash-key), created on first use.
  - apiGroups: [""]
    resources: [secrets]
    resourceNames: [dm-reconciler-hash-key]
    verbs: [get]
  - apiGroups: [""]
    resources: [secrets]
    verbs: [create]
