apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: sui-operator
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: sui-operator
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: sui-operator
subjects:
  - kind: ServiceAccount
    name: sui-operator
    namespace: ${cxg_namespace?c}
