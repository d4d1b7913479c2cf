import { NetworkRule } from "../network-model";
import { HD_BRIDGE_ICC } from "./hd-bridge-icc";
import { HD_OVERLAY_ENCRYPTED } from "./hd-overlay-encrypted";

/** The rules on networks: overlay encryption and inter-container traffic on bridges. */
export const NETWORK_RULES: readonly NetworkRule[] = [HD_OVERLAY_ENCRYPTED, HD_BRIDGE_ICC];
