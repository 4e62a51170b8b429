<#-- One ConfigMap per mount_files entry, holding the file's text under its base name. The file is read as
     raw text (parse=false): ${...} in it is never taken as a template expression. -->
<#import "/lib/labels.ftl" as l>
<#import "pod.ftl" as pod>
<#include "onthiscluster.ftl">
<#if onThisCluster()>
<#list mount_files?keys?sort as name>
<#assign content><#include "/templates/maiakubegate/files/" + mount_files[name][0] parse=false></#assign>
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${pod.configMapName(name)?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
data:
  ${pod.fileKey(mount_files[name][0])?c}: ${content?c}
</#list>
</#if>
