<#-- The identity pygeoapi uses to create and watch its Jobs. -->
<#import "/lib/labels.ftl" as l>
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
