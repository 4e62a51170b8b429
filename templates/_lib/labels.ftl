<#--
  Standard app.kubernetes.io labels, shared by every bundle. Put each macro call on a line of its own;
  `indent` is the column its lines start at:
    <#import "/lib/labels.ftl" as l>
    metadata:
      labels:
        <@l.labels app=app.name instance=name indent=4/>
    spec:
      selector:
        matchLabels:
          <@l.selector app=app.name instance=name indent=6/>
  `extra` adds labels (a map). Selectors use only name and instance: a Deployment's selector cannot change.
-->
<#function selectorLabels app instance>
  <#return {"app.kubernetes.io/name": app, "app.kubernetes.io/instance": instance}>
</#function>
<#macro labels app instance indent=0 extra={}>
${""?left_pad(indent)}${dmr.toYaml(dmr.labels(app, instance) + extra, indent)}
</#macro>
<#macro selector app instance indent=0>
${""?left_pad(indent)}${dmr.toYaml(selectorLabels(app, instance), indent)}
</#macro>
