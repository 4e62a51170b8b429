<#-- Per Data Manager namespace: lets the Data Manager's service account manage notebooks there. -->
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: data-manager-jupyter-operator
  labels:
    app.kubernetes.io/name: jupyter-operator
    app.kubernetes.io/part-of: data-manager
rules:
  - apiGroups: [squonk.it]
    resources: [jupyternotebooks]
    verbs: [get, list, watch, create, delete]
