<#import "labels.ftl" as l>
<#-- `reconciler run` with the in-cluster service account (no --kubeconfig). 'latest' moves, so it is always pulled. -->
<#assign pullPolicy = (dr_image_tag == "latest")?then("Always", "IfNotPresent")>
<#assign cacheDir = "/var/cache/dm-reconciler">
<#assign secretDir = "/etc/dm-reconciler/git">
<#assign args = ["run", "--repo", dr_git_url, "--branch", dr_git_branch, "--cluster", dr_cluster]>
<#list dr_environments as environment>
  <#assign args = args + ["--env", environment]>
</#list>
<#assign args = args + ["--interval", dr_interval, "--resync", dr_resync, "--http-port", dr_http_port?c,
    "--cache-dir", cacheDir, "--inventory-namespace", dr_namespace]>
<#if dr_git_secret?has_content>
  <#assign args = args + ["--git-token-file", secretDir + "/token", "--webhook-secret-file", secretDir + "/webhook-secret"]>
</#if>
<#if dr_leader_elect>
  <#-- the Lease is in the pod's namespace (POD_NAMESPACE); its holder identity is POD_NAME -->
  <#assign args = args + ["--leader-elect", "--lease-name", "dm-reconciler"]>
</#if>
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dm-reconciler
  namespace: ${dr_namespace?c}
  labels:
<@l.labels/>
spec:
  replicas: ${dr_replicas?c}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # the new pod is ready (it fetched git) before an old one goes; the leader hands over its Lease
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      app.kubernetes.io/name: dm-reconciler
  template:
    metadata:
      labels:
<@l.labels indent=8/>
    spec:
      serviceAccountName: dm-reconciler
      automountServiceAccountToken: true
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      affinity:
        podAntiAffinity:
          # replicas on different nodes where possible, so one node going does not take both
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    app.kubernetes.io/name: dm-reconciler
      containers:
        - name: reconciler
          image: ${(dr_image + ":" + dr_image_tag)?c}
          imagePullPolicy: ${pullPolicy}
          args:
<#list args as arg>
            - ${arg?c}
</#list>
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            # the root filesystem is read-only: JGit and the JVM write their user files under /tmp
            - name: HOME
              value: /tmp
          ports:
            - name: http
              containerPort: ${dr_http_port?c}
              protocol: TCP
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 20
            periodSeconds: 20
            timeoutSeconds: 5
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            initialDelaySeconds: 5
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources:
            requests:
              cpu: ${dr_cpu_request?c}
              memory: ${dr_mem_request?c}
            limits:
              cpu: ${dr_cpu_limit?c}
              memory: ${dr_mem_limit?c}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            runAsUser: 10001
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: cache
              mountPath: ${cacheDir?c}
            - name: tmp
              mountPath: /tmp
<#if dr_git_secret?has_content>
            - name: git
              mountPath: ${secretDir?c}
              readOnly: true
</#if>
      volumes:
        # the git clone (--cache-dir); a new pod clones again
        - name: cache
          emptyDir: {}
        - name: tmp
          emptyDir: {}
<#if dr_git_secret?has_content>
        # created out of band (never in git); optional, so the pod starts before it exists
<#-- 288 is 0440: owner root, group fsGroup 10001 may read (YAML 1.1 and 1.2 disagree on 0440) -->
        - name: git
          secret:
            secretName: ${dr_git_secret?c}
            optional: true
            defaultMode: 288
</#if>
