<#-- local.config.yml from the pk_config map. dmr.toYaml writes values as data, so "${HOME}" in a value
     reaches pygeoapi literally (FreeMarker only interprets template text, never values). -->
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${(instance.name + "-config")?c}
  labels:
    app.kubernetes.io/name: pygeoapi-k8s-manager
    app.kubernetes.io/instance: ${instance.name?c}
data:
  local.config.yml: |
    ${dmr.toYaml(pk_config, 4)}
