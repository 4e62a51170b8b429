<#-- "deployment": true runs the application as a Deployment instead (no allocation time limit). Recreate:
     a volume with ReadWriteOnce cannot be mounted by two pods at once. -->
<#import "/lib/labels.ftl" as l>
<#import "pod.ftl" as pod>
<#include "onthiscluster.ftl">
<#if onThisCluster() && deployment>
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      <@l.selector app=app.name instance=instance.name indent=6/>
  template:
    metadata:
      labels:
        <@l.labels app=app.name instance=instance.name indent=8/>
    spec:
<@pod.spec restartPolicy="Always"/>
</#if>
