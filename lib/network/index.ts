export { HardenedNetwork } from "./hardened-network";
export { HardenedNetworkDriver, HardenedNetworkProps } from "./hardened-network-props";
export {
  BRIDGE_ICC_OPTION,
  NETWORK_DEFAULTS,
  OVERLAY_ENCRYPTED_OPTION,
  ResolvedNetworkSpec,
} from "./resolve-network";
