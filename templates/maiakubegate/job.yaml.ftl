<#-- The default workload: runs once for allocationTime ("2" = two days), never retried (backoffLimit 0).
     Lifecycle create-once,recreate (bundle.yaml): a changed spec replaces the Job; a Job that has run is
     not re-created until its spec changes. -->
<#import "/lib/labels.ftl" as l>
<#import "pod.ftl" as pod>
<#include "onthiscluster.ftl">
<#if onThisCluster() && !deployment>
apiVersion: batch/v1
kind: Job
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
spec:
  backoffLimit: 0
  activeDeadlineSeconds: ${dmr.seconds(allocationTime, "d")?c}
  template:
    metadata:
      labels:
        <@l.labels app=app.name instance=instance.name indent=8/>
    spec:
<@pod.spec restartPolicy="Never"/>
</#if>
