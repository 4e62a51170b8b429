<#-- An administrator usually creates the namespace first, together with the Secrets from outside git
     (the preconditions); the reconciler may then take it over. -->
apiVersion: v1
kind: Namespace
metadata:
  name: ${cxg_namespace?c}
  labels:
    app.kubernetes.io/name: cellxgene
  annotations:
    dm-reconciler.dev/adopt: "true"
