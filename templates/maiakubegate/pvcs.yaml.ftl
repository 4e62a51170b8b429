<#-- One claim per persistent_volume entry: <chart_name>-claim-<i>. pvc_type is the storage class. -->
<#import "/lib/labels.ftl" as l>
<#include "onthiscluster.ftl">
<#if onThisCluster()>
<#list persistent_volume as volume>
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${(instance.name + "-claim-" + volume?index)?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
spec:
  accessModes:
    - ${volume.access_mode?c}
<#if volume.pvc_type?? && volume.pvc_type?has_content>
  storageClassName: ${volume.pvc_type?c}
</#if>
  resources:
    requests:
      storage: ${dmr.quantity(volume.size)?c}
</#list>
</#if>
