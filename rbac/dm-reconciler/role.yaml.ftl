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
    verbs: [get, create, patch]
  # Inventories (--inventory-namespace, this namespace): one label-selected LIST per application, a
  # server-side apply (create/patch) when one changed, delete when an application's becomes empty.
  # Kept here as well as in the ClusterRole so the inventories do not depend on a bundle rendering ConfigMaps.
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, create, patch, delete]
