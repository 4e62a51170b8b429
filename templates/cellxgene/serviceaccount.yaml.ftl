apiVersion: v1
kind: ServiceAccount
metadata:
  name: sui-operator
  namespace: ${cxg_namespace?c}
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: sui-operator
