-- 评标专家专业分类 (specialty classification of evaluation experts), three levels: 大类 → 中类 → 小类.
--
-- Basis: 《招标投标法实施条例》第四十五条 (one national classification of evaluation experts' specialties, made by the
-- national development and reform department) and the structure of the national 《评标专家专业分类标准（试行）》
-- (2010): three top classes 工程 (A) / 货物 (B) / 服务 (C), each split into fields and sub-fields, with 工程造价 and
-- 经济 specialties beside the technical ones because 招标投标法 第三十七条 asks for "技术、经济等方面的专家".
-- The codes and the selection below are Yiwang's own, written for the fields a city platform tenders most
-- (房建、市政、交通、水利、电力; the goods and services of 政府采购); they are NOT the official code table.
-- Experts choose leaves (level 3). Forward-only: change the classification with a later migration.
--
-- industry = the supervising department of works evaluations in the field (条例 第四条; the same codes as the trading
-- catalog): it decides which regulators review experts who evaluate engineering tenders there.
INSERT INTO expert_specialties (code, parent_code, level, name_zh, name_en, industry, sort_order) VALUES
  ('A', NULL, 1, '工程类', 'Works', 'development', 1),
  ('B', NULL, 1, '货物类', 'Goods', 'development', 2),
  ('C', NULL, 1, '服务类', 'Services', 'development', 3),

  ('A01', 'A', 2, '房屋建筑工程', 'Building construction', 'construction', 1),
  ('A02', 'A', 2, '市政公用工程', 'Municipal works', 'construction', 2),
  ('A03', 'A', 2, '交通运输工程', 'Transport works', 'transport', 3),
  ('A04', 'A', 2, '水利水电工程', 'Water conservancy and hydropower', 'water', 4),
  ('A05', 'A', 2, '电力与能源工程', 'Power and energy works', 'development', 5),
  ('A06', 'A', 2, '工程造价', 'Construction cost', 'construction', 6),
  ('A07', 'A', 2, '勘察、设计与监理', 'Survey, design and supervision', 'construction', 7),

  ('A0101', 'A01', 3, '建筑工程施工（土建）', 'Building works (civil)', 'construction', 1),
  ('A0102', 'A01', 3, '建筑装饰装修', 'Decoration and fit-out', 'construction', 2),
  ('A0103', 'A01', 3, '建筑给排水与暖通', 'Building plumbing and HVAC', 'construction', 3),
  ('A0104', 'A01', 3, '建筑电气与智能化', 'Building electrical and intelligent systems', 'construction', 4),
  ('A0105', 'A01', 3, '钢结构与幕墙', 'Steel structures and curtain walls', 'construction', 5),
  ('A0201', 'A02', 3, '城市道路与桥梁', 'Urban roads and bridges', 'construction', 1),
  ('A0202', 'A02', 3, '给水排水与管网', 'Water supply, drainage and networks', 'construction', 2),
  ('A0203', 'A02', 3, '燃气与热力', 'Gas and district heating', 'construction', 3),
  ('A0204', 'A02', 3, '园林绿化', 'Landscaping', 'construction', 4),
  ('A0205', 'A02', 3, '环境卫生设施', 'Sanitation facilities', 'construction', 5),
  ('A0301', 'A03', 3, '公路工程', 'Highways', 'transport', 1),
  ('A0302', 'A03', 3, '港口与航道工程', 'Ports and waterways', 'transport', 2),
  ('A0303', 'A03', 3, '城市轨道交通', 'Urban rail transit', 'transport', 3),
  ('A0304', 'A03', 3, '交通安全设施与机电', 'Traffic safety and electromechanical systems', 'transport', 4),
  ('A0401', 'A04', 3, '水工建筑物', 'Hydraulic structures', 'water', 1),
  ('A0402', 'A04', 3, '河道整治与防洪', 'River training and flood control', 'water', 2),
  ('A0403', 'A04', 3, '农田水利与灌溉', 'Irrigation and drainage', 'water', 3),
  ('A0501', 'A05', 3, '输变电工程', 'Transmission and substations', 'development', 1),
  ('A0502', 'A05', 3, '新能源发电（光伏、风电）', 'Renewable generation (solar, wind)', 'development', 2),
  ('A0601', 'A06', 3, '房建与市政工程造价', 'Cost of building and municipal works', 'construction', 1),
  ('A0602', 'A06', 3, '交通与水利工程造价', 'Cost of transport and water works', 'construction', 2),
  ('A0701', 'A07', 3, '工程勘察', 'Geotechnical survey', 'construction', 1),
  ('A0702', 'A07', 3, '工程设计', 'Engineering design', 'construction', 2),
  ('A0703', 'A07', 3, '工程监理', 'Construction supervision', 'construction', 3),

  ('B01', 'B', 2, '信息技术设备', 'Information technology equipment', 'development', 1),
  ('B02', 'B', 2, '医疗设备与器械', 'Medical equipment and devices', 'development', 2),
  ('B03', 'B', 2, '机电设备', 'Electromechanical equipment', 'construction', 3),
  ('B04', 'B', 2, '教学与办公设备', 'Teaching and office equipment', 'development', 4),
  ('B05', 'B', 2, '车辆', 'Vehicles', 'development', 5),

  ('B0101', 'B01', 3, '计算机与网络设备', 'Computers and network equipment', 'development', 1),
  ('B0102', 'B01', 3, '软件与信息系统', 'Software and information systems', 'development', 2),
  ('B0103', 'B01', 3, '安防与监控设备', 'Security and surveillance equipment', 'development', 3),
  ('B0201', 'B02', 3, '医学影像设备', 'Medical imaging equipment', 'development', 1),
  ('B0202', 'B02', 3, '检验与体外诊断设备', 'Laboratory and in-vitro diagnostic equipment', 'development', 2),
  ('B0203', 'B02', 3, '医用耗材', 'Medical consumables', 'development', 3),
  ('B0301', 'B03', 3, '电梯与起重设备', 'Lifts and hoisting equipment', 'construction', 1),
  ('B0302', 'B03', 3, '暖通空调设备', 'HVAC equipment', 'construction', 2),
  ('B0303', 'B03', 3, '变配电与发电设备', 'Switchgear and generating sets', 'construction', 3),
  ('B0401', 'B04', 3, '教学仪器与实验室设备', 'Teaching instruments and laboratory equipment', 'development', 1),
  ('B0402', 'B04', 3, '家具与办公设备', 'Furniture and office equipment', 'development', 2),
  ('B0501', 'B05', 3, '公务与专用车辆', 'Official and special-purpose vehicles', 'development', 1),

  ('C01', 'C', 2, '工程咨询服务', 'Engineering consulting', 'development', 1),
  ('C02', 'C', 2, '信息技术服务', 'IT services', 'development', 2),
  ('C03', 'C', 2, '物业与后勤服务', 'Property and facility services', 'development', 3),
  ('C04', 'C', 2, '财务、法律与评估服务', 'Finance, legal and valuation services', 'development', 4),
  ('C05', 'C', 2, '规划服务', 'Planning services', 'development', 5),
  ('C06', 'C', 2, '经济与商务', 'Economics and commerce', 'development', 6),

  ('C0101', 'C01', 3, '项目可行性研究与评估', 'Feasibility studies and appraisal', 'development', 1),
  ('C0102', 'C01', 3, '全过程工程咨询', 'Whole-process engineering consulting', 'development', 2),
  ('C0201', 'C02', 3, '系统集成与运维', 'System integration and operation', 'development', 1),
  ('C0202', 'C02', 3, '数据与云服务', 'Data and cloud services', 'development', 2),
  ('C0301', 'C03', 3, '物业管理', 'Property management', 'development', 1),
  ('C0302', 'C03', 3, '餐饮服务', 'Catering', 'development', 2),
  ('C0303', 'C03', 3, '保安与保洁服务', 'Security guarding and cleaning', 'development', 3),
  ('C0401', 'C04', 3, '会计与审计', 'Accounting and audit', 'development', 1),
  ('C0402', 'C04', 3, '法律服务', 'Legal services', 'development', 2),
  ('C0403', 'C04', 3, '资产评估', 'Asset valuation', 'development', 3),
  ('C0501', 'C05', 3, '国土空间与城乡规划', 'Spatial and urban-rural planning', 'development', 1),
  ('C0601', 'C06', 3, '经济与财务评审（商务）', 'Economic and financial evaluation (commercial)', 'development', 1);
