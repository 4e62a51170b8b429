<#-- The identity pygeoapi uses to create and watch its Jobs. -->
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${instance.name?c}
  labels:
    app.kubernetes.io/name: pygeoapi-k8s-manager
    app.kubernetes.io/instance: ${instance.name?c}
