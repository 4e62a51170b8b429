<#-- Per Data Manager namespace: lets the Data Manager's service account manage visualisations there. -->
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: data-manager-viz-operator
  labels:
    app.kubernetes.io/name: viz-operator
    app.kubernetes.io/part-of: data-manager
rules:
  - apiGroups: [squonk.it]
    resources: [datavisualisations]
    verbs: [get, list, watch, create, delete]
