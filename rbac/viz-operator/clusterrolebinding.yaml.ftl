<#import "../../templates/viz-operator/labels.ftl" as l>
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: viz-operator
  labels:
<@l.labels/>
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: viz-operator
subjects:
  - kind: ServiceAccount
    name: viz-operator
    namespace: ${svo_namespace?c}
