<#import "../../templates/jupyter-operator/labels.ftl" as l>
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: jupyter-operator
  labels:
<@l.labels/>
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: jupyter-operator
subjects:
  - kind: ServiceAccount
    name: jupyter-operator
    namespace: ${jo_namespace?c}
