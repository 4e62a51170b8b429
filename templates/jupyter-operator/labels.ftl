<#-- Shared label block for operator-scope objects. Strings are printed with ?c (a JSON literal, valid YAML). -->
<#macro labels>
    app.kubernetes.io/name: jupyter-operator
    app.kubernetes.io/part-of: data-manager
</#macro>
