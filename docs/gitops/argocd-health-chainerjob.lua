-- Argo CD health check for chainer.dev/ChainerJob.
-- Install it under resource.customizations.health.chainer.dev_ChainerJob in argocd-cm (see gitops.md).
-- It reads only the job's conditions and observedGeneration, which the operator keeps current.
local hs = {}

local function condition(type)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function isTrue(type)
  local c = condition(type)
  return c ~= nil and c.status == "True"
end

if obj.status == nil or obj.status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to see the job"
  return hs
end

if obj.metadata.generation ~= nil and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to see the latest change"
  return hs
end

if isTrue("Failed") then
  local c = condition("Failed")
  hs.status = "Degraded"
  hs.message = (c.reason or "Failed") .. ": " .. (c.message or "")
elseif isTrue("Succeeded") then
  hs.status = "Healthy"
  hs.message = "Training completed"
elseif isTrue("Canceled") then
  hs.status = "Suspended"
  hs.message = "Canceled"
elseif isTrue("Suspended") then
  hs.status = "Suspended"
  hs.message = "Suspended (runPolicy.suspend)"
else
  hs.status = "Progressing"
  hs.message = (obj.status.phase or "Pending")
  if obj.status.ready ~= nil then
    hs.message = hs.message .. ", workers ready " .. obj.status.ready
  end
end
return hs
