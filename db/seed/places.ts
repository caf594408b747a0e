import type { PlaceLevel } from "../schema";

export interface PlaceSeed {
  name: string;
  level: PlaceLevel;
  /** National division code where known; streets and communities below the county carry none here. */
  code?: string;
  children?: PlaceSeed[];
}

const community = (...names: string[]): PlaceSeed[] => names.map((name) => ({ name, level: "community" }));
const street = (name: string, communities: string[]): PlaceSeed => ({ name, level: "street", children: community(...communities) });

/** 江西省南昌市 with its districts and counties, and the streets and communities the seeds name. */
export const JIANGXI: PlaceSeed = {
  name: "江西省",
  level: "province",
  code: "360000",
  children: [
    {
      name: "南昌市",
      level: "city",
      code: "360100",
      children: [
        { name: "东湖区", level: "district", code: "360102", children: [street("百花洲街道", ["墩子塘社区", "三眼井社区"]), street("豫章街道", ["叠山路社区"])] },
        {
          name: "西湖区",
          level: "district",
          code: "360103",
          children: [street("朝农街道", ["灌婴路社区", "朝阳社区"]), street("南站街道", ["广南社区", "洪城社区"]), street("丁公路街道", ["丁公路社区"])],
        },
        {
          name: "青云谱区",
          level: "district",
          code: "360104",
          children: [street("洪都街道", ["洪都新村社区", "桔园社区"]), street("京山街道", ["京山社区"]), street("三家店街道", ["三家店社区"])],
        },
        {
          name: "青山湖区",
          level: "district",
          code: "360111",
          children: [street("塘山镇", ["上坊路社区", "塘山村"]), street("湖坊镇", ["湖坊社区"])],
        },
        { name: "新建区", level: "district", code: "360112", children: [street("招贤镇", ["招贤村", "石岗村"]), street("长堎镇", ["长堎社区"])] },
        { name: "红谷滩区", level: "district", code: "360113", children: [street("沙井街道", ["沙井社区"]), street("卫东街道", ["卫东社区"])] },
        { name: "南昌县", level: "district", code: "360121", children: [street("莲塘镇", ["莲塘社区"])] },
        { name: "安义县", level: "district", code: "360123", children: [street("龙津镇", ["龙津社区"])] },
        { name: "进贤县", level: "district", code: "360124", children: [street("民和镇", ["民和社区"])] },
      ],
    },
  ],
};
