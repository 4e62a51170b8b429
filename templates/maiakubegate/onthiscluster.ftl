<#-- "clusters" lists the clusters an instance runs on; empty means every cluster. -->
<#function onThisCluster>
  <#return !clusters?has_content || clusters?seq_contains(env.cluster)>
</#function>
