<#-- What the job manager needs in its namespace: run Jobs, follow their Pods, read logs and events. -->
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${instance.name?c}
  labels:
    app.kubernetes.io/name: pygeoapi-k8s-manager
    app.kubernetes.io/instance: ${instance.name?c}
rules:
  - apiGroups: [""]
    resources: [events, pods/log, pods/status]
    verbs: [get, watch, list]
  - apiGroups: [""]
    resources: [pods]
    verbs: [get, watch, list, patch]
  - apiGroups: [batch]
    resources: [jobs]
    verbs: ["*"]
