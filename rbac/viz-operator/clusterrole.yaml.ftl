<#import "../../templates/viz-operator/labels.ftl" as l>
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: viz-operator
  labels:
<@l.labels/>
rules:
  - apiGroups: [apiextensions.k8s.io]
    resources: [customresourcedefinitions]
    verbs: [list, watch]
  - apiGroups: [""]
    resources: [namespaces]
    verbs: [list, watch]
  - apiGroups: [admissionregistration.k8s.io]
    resources: [validatingwebhookconfigurations, mutatingwebhookconfigurations]
    verbs: [create, patch]
  - apiGroups: ["", events.k8s.io]
    resources: [events]
    verbs: [create]
  - apiGroups: [squonk.it]
    resources: [datavisualisations]
    verbs: [list, watch, patch]
  - apiGroups: [batch]
    resources: [jobs]
    verbs: [create]
  - apiGroups: [""]
    resources: [pods, persistentvolumeclaims, configmaps, services]
    verbs: [create, get]
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [create, get]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses]
    verbs: [create]
