<#-- Shared label block for operator-scope objects. -->
<#macro labels>
    app.kubernetes.io/name: viz-operator
    app.kubernetes.io/part-of: data-manager
</#macro>
