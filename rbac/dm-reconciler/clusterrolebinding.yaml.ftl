<#import "../../templates/dm-reconciler/labels.ftl" as l>
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: dm-reconciler
  labels:
<@l.labels/>
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: dm-reconciler
subjects:
  - kind: ServiceAccount
    name: dm-reconciler
    namespace: ${dr_namespace?c}
