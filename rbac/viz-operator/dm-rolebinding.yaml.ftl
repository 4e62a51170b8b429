apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: data-manager-viz-operator
  labels:
    app.kubernetes.io/name: viz-operator
    app.kubernetes.io/part-of: data-manager
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: data-manager-viz-operator
subjects:
  - kind: ServiceAccount
    name: data-manager
    namespace: ${namespace?c}
