package callwatch.aggregator.detect;

/** "Corilus/4.2" is vendor Corilus, version 4.2; a vendor without a slash has no version. Pure. */
final class VendorVersion {
  private VendorVersion() {}

  static String[] split(String vendor) {
    int slash = vendor.indexOf('/');
    return slash < 0 ? new String[] {vendor, null} : new String[] {vendor.substring(0, slash), vendor.substring(slash + 1)};
  }
}
