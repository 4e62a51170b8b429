<#-- local.config.yml from the pk_config map. dmr.toYaml writes values as data, so "${HOME}" in a value
     reaches pygeoapi literally (FreeMarker only interprets template text, never values). -->
<#import "/lib/labels.ftl" as l>
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${(instance.name + "-config")?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
data:
  local.config.yml: |
    ${dmr.toYaml(pk_config, 4)}
