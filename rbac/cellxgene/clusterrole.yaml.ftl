<#-- The operator watches SingleUserInstances everywhere and creates each one's Deployment, Service and Ingress. -->
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: sui-operator
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: sui-operator
rules:
  - apiGroups: [""]
    resources: [namespaces]
    verbs: [get, list, watch]
  - apiGroups: [""]
    resources: [services, events]
    verbs: [create]
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [create]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses]
    verbs: [create]
  - apiGroups: [apiextensions.k8s.io]
    resources: [customresourcedefinitions]
    verbs: [list, watch]
  - apiGroups: [cnag.eu]
    resources: [singleuserinstances]
    verbs: ["*"]
