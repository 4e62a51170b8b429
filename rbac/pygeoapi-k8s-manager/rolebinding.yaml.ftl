<#-- The subject's namespace is the instance's target namespace, so moving the instance moves the binding. -->
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${instance.name?c}
  labels:
    app.kubernetes.io/name: pygeoapi-k8s-manager
    app.kubernetes.io/instance: ${instance.name?c}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${instance.name?c}
subjects:
  - kind: ServiceAccount
    name: ${instance.name?c}
    namespace: ${instance.namespace?c}
